namespace Autopilot.Host.Demo;

/// <summary>
/// The demo's output: a running commentary (one line per event) and a status line. On a terminal the status line
/// sits under the commentary and is redrawn in place with a spinner (ANSI: carriage return + erase line), and the
/// commentary is coloured unless <c>NO_COLOR</c> is set. Elsewhere (a pipe, a file, CI, tests) nothing is redrawn
/// and there are no escape codes: a status is written as a plain line only when it is a milestone.
/// </summary>
/// <remarks>
/// The status line goes to stderr, the commentary to stdout (or to stderr when stdout carries JSON). Every write takes one lock, so a line from the simulation's thread never lands inside the status
/// line the timer is redrawing.
/// </remarks>
internal sealed class DemoTerminal : IDisposable
{
    private const string Erase = "\r\u001b[2K";
    private static readonly string[] s_spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    private readonly TextWriter _commentary;
    private readonly TextWriter _status;
    private readonly bool _redraw;
    private readonly Lock _gate = new();
    private readonly Timer? _timer;
    private string? _line;
    private bool _shown;
    private int _frame;
    private bool _disposed;

    /// <param name="commentary">Where the commentary goes.</param>
    /// <param name="status">Where the status line goes (stderr).</param>
    /// <param name="commentaryIsTerminal">True when <paramref name="commentary"/> is a terminal (colours).</param>
    /// <param name="statusIsTerminal">True when <paramref name="status"/> is a terminal (status redrawn in place).</param>
    public DemoTerminal(TextWriter commentary, TextWriter status, bool commentaryIsTerminal, bool statusIsTerminal)
    {
        _commentary = commentary;
        _status = status;
        var dumb = string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        Color = commentaryIsTerminal && !dumb && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        _redraw = statusIsTerminal && !dumb;
        if (_redraw)
        {
            _timer = new Timer(_ => Tick(), null, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(120));
        }
    }

    /// <summary>True when the commentary carries ANSI colours.</summary>
    public bool Color { get; }

    /// <summary>True when the status line is redrawn in place (stderr is a terminal).</summary>
    public bool Redraws => _redraw;

    /// <summary>Writes a line of commentary (the status line, if shown, moves below it).</summary>
    public void Line(string text = "")
    {
        lock (_gate)
        {
            HideStatus();
            _commentary.WriteLine(text);
            _commentary.Flush();
            ShowStatus();
        }
    }

    /// <summary>
    /// Sets the status. On a terminal it is redrawn at once; otherwise it is written as a line only when
    /// <paramref name="milestone"/> (so a log gets a line per step, not per update).
    /// </summary>
    public void Status(string text, bool milestone = false)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _line = text;
            if (_redraw)
            {
                HideStatus();
                ShowStatus();
            }
            else if (milestone)
            {
                _status.WriteLine(text);
                _status.Flush();
            }
        }
    }

    /// <summary>Removes the status line.</summary>
    public void ClearStatus()
    {
        lock (_gate)
        {
            HideStatus();
            _line = null;
        }
    }

    public string Bold(string text) => Paint("1", text);

    public string Dim(string text) => Paint("2", text);

    public string Red(string text) => Paint("31", text);

    public string Green(string text) => Paint("32", text);

    public string Yellow(string text) => Paint("33", text);

    public string Cyan(string text) => Paint("36", text);

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            HideStatus();
            _line = null;
            _disposed = true;
        }
    }

    /// <summary>A text bar of <paramref name="width"/> cells filled to <paramref name="ratio"/>.</summary>
    public static string Bar(double ratio, int width = 20)
    {
        var filled = (int)Math.Round(Math.Clamp(ratio, 0, 1) * width);
        return new string('█', filled) + new string('░', width - filled);
    }

    private string Paint(string code, string text) => Color ? $"\u001b[{code}m{text}\u001b[0m" : text;

    private void Tick()
    {
        lock (_gate)
        {
            if (_line is null || _disposed)
            {
                return;
            }

            _frame = (_frame + 1) % s_spinner.Length;
            HideStatus();
            ShowStatus();
        }
    }

    private void HideStatus()
    {
        if (_shown)
        {
            _status.Write(Erase);
            _status.Flush();
            _shown = false;
        }
    }

    private void ShowStatus()
    {
        if (!_redraw || _line is null || _disposed)
        {
            return;
        }

        var text = s_spinner[_frame] + " " + _line;
        int width;
        try
        {
            width = Console.WindowWidth;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            width = 0;
        }

        // A status wider than the terminal would wrap, and erasing the line would then leave its first half behind.
        if (width > 10 && text.Length > width - 1)
        {
            text = text[..(width - 2)] + "…";
        }

        _status.Write(text);
        _status.Flush();
        _shown = true;
    }
}
