using System.Globalization;
using System.Text;

namespace Autopilot.Benchmarks.Scout;

/// <summary>
/// Writes a monorepo of a given number of files for Scout to scan: 40 services (8 each of Maven/Spring Boot,
/// Go/gin, Python/FastAPI, Node/Express (half TypeScript), ASP.NET Core), each with its build file, Dockerfile,
/// configuration, source (about 3 KB a file; every 5th file makes an HTTP call, every 7th publishes to Kafka,
/// every 9th writes SQL) and tests, plus compose, contracts and docs at the root. A vendored node_modules of
/// 2,000 more files sits beside them and must be skipped. Deterministic: the same count gives the same tree.
/// </summary>
public static class SyntheticRepo
{
    public const int Services = 40;
    public const int VendoredFiles = 2000;

    private static readonly string[] Stacks = ["java", "go", "python", "node", "dotnet"];

    /// <summary>Writes the tree under <paramref name="root"/> (which must be empty or absent) with exactly <paramref name="files"/> files outside node_modules.</summary>
    public static void Generate(string root, int files)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new ArgumentException($"'{root}' is not empty.", nameof(root));
        }

        var written = 0;
        void Write(string rel, string text)
        {
            var path = Path.Combine(root, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            written++;
        }

        var compose = new StringBuilder("services:\n  otel-collector:\n    image: otel/opentelemetry-collector-contrib:0.104.0\n");
        for (var s = 0; s < Services; s++)
        {
            compose.Append(CultureInfo.InvariantCulture, $"  svc{s:00}:\n    build: ./services/svc{s:00}\n");
        }

        Write("docker-compose.yml", compose.ToString());
        Write("README.md", "# synthetic monorepo\n");
        for (var c = 0; c < 10; c++)
        {
            Write($"contracts/topic-{c}.yaml", $"dataset: {{ namespace: kafka, name: svc{c:00}.events }}\nowner: team-{c}\n");
        }

        // Build files and configuration first, then source round-robin until the count is reached.
        for (var s = 0; s < Services; s++)
        {
            foreach (var (rel, text) in Skeleton(s))
            {
                Write(rel, text);
            }
        }

        var perService = new int[Services];
        for (var s = 0; written < files; s = (s + 1) % Services)
        {
            var n = perService[s]++;
            var (rel, text) = Source(s, n);
            Write(rel, text);
        }

        for (var v = 0; v < VendoredFiles; v++)
        {
            var path = Path.Combine(root, "node_modules", $"pkg{v / 20}", $"lib{v % 20}.js");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "const http = require('http');\nmodule.exports = () => fetch('http://vendored/');\n");
        }
    }

    private static string Stack(int s) => Stacks[s % Stacks.Length];

    private static IEnumerable<(string Rel, string Text)> Skeleton(int s)
    {
        var dir = $"services/svc{s:00}";
        yield return ($"{dir}/Dockerfile", "FROM scratch\nCOPY . /app\nENTRYPOINT [\"/app/run\"]\n");
        switch (Stack(s))
        {
            case "java":
                yield return ($"{dir}/pom.xml", $"""
                    <project xmlns="http://maven.apache.org/POM/4.0.0">
                      <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.4</version></parent>
                      <artifactId>svc{s:00}</artifactId>
                      <dependencies>
                        <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
                        <dependency><groupId>org.springframework.kafka</groupId><artifactId>spring-kafka</artifactId></dependency>
                        <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-jdbc</artifactId></dependency>
                        <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>
                      </dependencies>
                    </project>
                    """);
                yield return ($"{dir}/src/main/resources/application.yml", $"spring:\n  application:\n    name: svc{s:00}\n  datasource:\n    url: jdbc:postgresql://db:5432/svc{s:00}\n");
                yield return ($"{dir}/src/main/java/com/acme/svc{s:00}/Application.java", $"package com.acme.svc{s:00};\n\n@org.springframework.boot.autoconfigure.SpringBootApplication\npublic class Application {{\n    public static void main(String[] args) {{\n        org.springframework.boot.SpringApplication.run(Application.class, args);\n    }}\n}}\n");
                break;
            case "go":
                yield return ($"{dir}/go.mod", $"module github.com/acme/svc{s:00}\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/segmentio/kafka-go v0.4.47\n\tgithub.com/jackc/pgx/v5 v5.6.0\n)\n");
                yield return ($"{dir}/main.go", "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() {\n\tr := gin.Default()\n\tr.GET(\"/healthz\", func(c *gin.Context) {})\n\tr.Run()\n}\n");
                break;
            case "python":
                yield return ($"{dir}/pyproject.toml", $"[project]\nname = \"svc{s:00}\"\ndependencies = [\n    \"fastapi>=0.111\",\n    \"sqlalchemy>=2\",\n    \"psycopg2-binary\",\n    \"kafka-python\",\n    \"requests\",\n]\n");
                yield return ($"{dir}/app/main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {}\n");
                break;
            case "node":
                yield return ($"{dir}/package.json", $"{{\n  \"name\": \"@acme/svc{s:00}\",\n  \"scripts\": {{ \"start\": \"node src/server.js\" }},\n  \"dependencies\": {{ \"express\": \"^4.19.2\", \"kafkajs\": \"^2.2.4\", \"pg\": \"^8.12.0\" }}\n}}\n");
                yield return ($"{dir}/src/server.js", "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(3000);\n");
                break;
            default:
                yield return ($"{dir}/Svc{s:00}.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <ItemGroup>\n    <PackageReference Include=\"Confluent.Kafka\" Version=\"2.4.0\" />\n    <PackageReference Include=\"Npgsql\" Version=\"8.0.3\" />\n  </ItemGroup>\n</Project>\n");
                yield return ($"{dir}/Program.cs", "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.MapGet(\"/orders\", () => \"ok\");\napp.Run();\n");
                break;
        }
    }

    private static (string Rel, string Text) Source(int s, int n)
    {
        var dir = $"services/svc{s:00}";
        var test = n % 7 == 6; // about one file in seven is a test
        var body = new StringBuilder(3200);
        string rel;
        switch (Stack(s))
        {
            case "java":
                rel = $"{dir}/src/{(test ? "test" : "main")}/java/com/acme/svc{s:00}/part{n / 50}/Component{n}.java";
                body.Append(CultureInfo.InvariantCulture, $"package com.acme.svc{s:00}.part{n / 50};\n\nimport java.util.*;\n\npublic class Component{n} {{\n");
                Filler(body, n, "    int step{0}(int x) {{\n        int total = 0;\n        for (int i = 0; i < x; i++) {{ total += i * {0}; }}\n        return total;\n    }}\n");
                Calls(body, n, $"        rest.getForObject(\"http://svc{(s + 1) % Services:00}/items\", String.class);\n",
                    $"        kafkaTemplate.send(\"svc{s:00}.events\", key, value);\n", "        jdbc.update(\"INSERT INTO items_" + s + " (id) VALUES (?)\", id);\n");
                body.Append("}\n");
                break;
            case "go":
                rel = $"{dir}/internal/part{n / 50}/file{n}{(test ? "_test" : string.Empty)}.go";
                body.Append(CultureInfo.InvariantCulture, $"package part{n / 50}\n\nimport (\n\t\"net/http\"\n)\n\n");
                Filler(body, n, "func step{0}(x int) int {{\n\ttotal := 0\n\tfor i := 0; i < x; i++ {{\n\t\ttotal += i * {0}\n\t}}\n\treturn total\n}}\n");
                Calls(body, n, $"func call{n}() {{ http.Get(\"http://svc{(s + 1) % Services:00}/items\") }}\n",
                    $"var writer{n} = &kafka.Writer{{\n\tTopic: \"svc{s:00}.events\",\n}}\n", $"const q{n} = `INSERT INTO items_{s} (id) VALUES ($1)`\n");
                break;
            case "python":
                rel = test ? $"{dir}/tests/test_{n}.py" : $"{dir}/app/part{n / 50}/module{n}.py";
                body.Append("import requests\n\n\n");
                Filler(body, n, "def step{0}(x):\n    total = 0\n    for i in range(x):\n        total += i * {0}\n    return total\n\n\n");
                Calls(body, n, $"def call{n}():\n    return requests.get(\"http://svc{(s + 1) % Services:00}/items\")\n",
                    $"def publish{n}(producer):\n    producer.send(\"svc{s:00}.events\", b\"x\")\n", $"SQL_{n} = \"INSERT INTO items_{s} (id) VALUES (%s)\"\n");
                break;
            case "node":
                var ext = s % 2 == 0 ? "ts" : "js";
                rel = test ? $"{dir}/test/file{n}.test.{ext}" : $"{dir}/src/part{n / 50}/file{n}.{ext}";
                Filler(body, n, "function step{0}(x) {{\n  let total = 0;\n  for (let i = 0; i < x; i++) {{ total += i * {0}; }}\n  return total;\n}}\n");
                Calls(body, n, $"async function call{n}() {{ return fetch('http://svc{(s + 1) % Services:00}/items'); }}\n",
                    $"async function publish{n}(producer) {{\n  await producer.send({{ topic: 'svc{s:00}.events', messages: [] }});\n}}\n", $"const sql{n} = 'INSERT INTO items_{s} (id) VALUES ($1)';\n");
                break;
            default:
                rel = test ? $"tests/Svc{s:00}.Tests/Test{n}.cs" : $"{dir}/Part{n / 50}/Component{n}.cs";
                body.Append(CultureInfo.InvariantCulture, $"namespace Svc{s:00}.Part{n / 50};\n\npublic sealed class Component{n}\n{{\n");
                Filler(body, n, "    public int Step{0}(int x)\n    {{\n        var total = 0;\n        for (var i = 0; i < x; i++) {{ total += i * {0}; }}\n        return total;\n    }}\n");
                Calls(body, n, $"    public Task<string> Call{n}(HttpClient http) => http.GetStringAsync(\"http://svc{(s + 1) % Services:00}/items\");\n",
                    $"    public Task Publish{n}(IProducer<string, string> producer) => producer.ProduceAsync(\"svc{s:00}.events\", new());\n",
                    $"    private const string Sql{n} = \"INSERT INTO items_{s} (id) VALUES ($1)\";\n");
                body.Append("}\n");
                break;
        }

        return (rel, body.ToString());
    }

    /// <summary>Ordinary code with no trigger in it: what most lines of a real repository are.</summary>
    private static void Filler(StringBuilder body, int n, string template)
    {
        for (var i = 0; i < 14; i++)
        {
            body.AppendFormat(CultureInfo.InvariantCulture, template, (n * 31) + i);
        }
    }

    private static void Calls(StringBuilder body, int n, string http, string kafka, string sql)
    {
        if (n % 5 == 0)
        {
            body.Append(http);
        }

        if (n % 7 == 0)
        {
            body.Append(kafka);
        }

        if (n % 9 == 0)
        {
            body.Append(sql);
        }
    }
}
