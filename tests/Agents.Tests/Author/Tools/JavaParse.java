// Syntax check for Java sources with the JDK's own compiler front end: parses every file given (no symbol
// resolution, so sources that import libraries absent here, such as OpenTelemetry, are still checked) and exits 1
// with javac's diagnostics when any file does not parse. Run as: java JavaParse.java <files...>
import com.sun.source.util.JavacTask;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

public class JavaParse {
    public static void main(String[] args) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            JavacTask task = (JavacTask) compiler.getTask(null, files, diagnostics, List.of("-proc:none"), null, files.getJavaFileObjects(args));
            task.parse();
        }
        boolean failed = false;
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            System.err.println(d);
            failed |= d.getKind() == Diagnostic.Kind.ERROR;
        }
        System.out.println("parsed " + args.length + " file(s)");
        System.exit(failed ? 1 : 0);
    }
}
