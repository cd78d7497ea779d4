using System.Xml;
using System.Xml.Linq;

namespace SolidarityTracker.Export;

/// <summary>Writes a timeline as CSV for plotting, or as a standalone SVG chart (built as XML, so every label is escaped).</summary>
public static class TimelineWriter
{
    public static readonly IReadOnlyList<string> Formats = ["csv", "svg"];

    public static readonly IReadOnlyList<string> CsvColumns = ["bucket_start", "condolence_agencies", "memorial_agencies", "safety_reminder_agencies", "posts"];

    public static void Write(TimelineReport report, string format, string? subtitle, TextWriter output)
    {
        if (format == "csv") WriteCsv(report, output);
        else if (format == "svg") WriteSvg(report, subtitle, output);
        else throw new ArgumentOutOfRangeException(nameof(format), format, "expected csv or svg");
    }

    private static void WriteCsv(TimelineReport report, TextWriter output)
    {
        using var csv = SpreadsheetSafe.Writer(output);
        foreach (var name in CsvColumns) csv.WriteField(name);
        csv.EndRecord();
        foreach (var bucket in report.Buckets)
        {
            csv.WriteField(bucket.StartText);
            csv.WriteField(bucket.CondolenceAgencies, "");
            csv.WriteField(bucket.MemorialAgencies, "");
            csv.WriteField(bucket.SafetyReminderAgencies, "");
            csv.WriteField(bucket.Posts, "");
            csv.EndRecord();
        }
        csv.Flush();
    }

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly (string Label, string Color)[] Series =
        [(Labels.Condolence, "#1f77b4"), (Labels.Memorial, "#333333"), (Labels.SafetyReminder, "#d62728")];
    private const double Width = 960, Height = 440, Left = 60, Right = 70, Top = 56, Bottom = 90;

    /// <summary>Lines: distinct agencies per label (left axis). Grey bars: posts (right axis).</summary>
    private static void WriteSvg(TimelineReport report, string? subtitle, TextWriter output)
    {
        var buckets = report.Buckets;
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var maxAgencies = buckets.Count == 0 ? 0 : buckets.Max(b => Series.Max(s => b.Agencies(s.Label)));
        var maxPosts = buckets.Count == 0 ? 0 : buckets.Max(b => b.Posts);
        // Whole-number ticks on both axes, sharing the grid lines.
        var agencyStep = NiceStep(Math.Max(maxAgencies, 1) / 4.0);
        var ticks = Math.Max(1, (int)Math.Ceiling(Math.Max(maxAgencies, 1) / (double)agencyStep));
        var agencyTop = (double)agencyStep * ticks;
        var postTop = (double)NiceStep(Math.Max(maxPosts, 1) / (double)ticks) * ticks;
        var step = buckets.Count > 0 ? plotW / buckets.Count : plotW;
        double X(int i) => Left + step * (i + 0.5);
        double YAgencies(int v) => Top + plotH - plotH * v / agencyTop;
        double YPosts(int v) => Top + plotH - plotH * v / postTop;

        var root = new XElement(Svg + "svg",
            new XAttribute("width", F(Width)), new XAttribute("height", F(Height)),
            new XAttribute("viewBox", $"0 0 {F(Width)} {F(Height)}"),
            new XAttribute("font-family", "Arial, Helvetica, sans-serif"), new XAttribute("font-size", "12"),
            new XAttribute("role", "img"));
        var unit = report.By == "day" ? "day" : "hour";
        var title = $"Agencies posting each label per {unit} ({report.Zone.Id})";
        root.Add(new XElement(Svg + "title", subtitle is null ? title : $"{title}: {subtitle}"));
        root.Add(new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "#ffffff")));
        root.Add(Text(Left, 22, title, "16", "start", "bold"));
        if (subtitle is not null) root.Add(Text(Left, 40, subtitle, "12", "start", null));

        // Grid and left axis (agencies).
        for (var t = 0; t <= ticks; t++)
        {
            var y = Top + plotH - plotH * t / ticks;
            root.Add(Line(Left, y, Left + plotW, y, "#e5e5e5"));
            root.Add(Text(Left - 6, y + 4, F(agencyTop * t / ticks), "11", "end", null));
            root.Add(Text(Left + plotW + 6, y + 4, F(postTop * t / ticks), "11", "start", null));
        }
        root.Add(Line(Left, Top, Left, Top + plotH, "#333333"));
        root.Add(Line(Left, Top + plotH, Left + plotW, Top + plotH, "#333333"));
        root.Add(Line(Left + plotW, Top, Left + plotW, Top + plotH, "#999999"));
        root.Add(Rotated(16, Top + plotH / 2, "agencies"));
        root.Add(Rotated(Width - 14, Top + plotH / 2, "posts"));

        // Posts as bars, behind the lines.
        var bars = new XElement(Svg + "g", new XAttribute("fill", "#d9d9d9"));
        for (var i = 0; i < buckets.Count; i++)
        {
            if (buckets[i].Posts == 0) continue;
            var y = YPosts(buckets[i].Posts);
            bars.Add(new XElement(Svg + "rect",
                new XAttribute("x", F(Left + step * i + step * 0.1)), new XAttribute("y", F(y)),
                new XAttribute("width", F(Math.Max(step * 0.8, 0.5))), new XAttribute("height", F(Top + plotH - y)),
                new XElement(Svg + "title", $"{buckets[i].StartText}: {buckets[i].Posts} posts")));
        }
        root.Add(bars);

        foreach (var (label, color) in Series)
        {
            var points = string.Join(' ', buckets.Select((b, i) => $"{F(X(i))},{F(YAgencies(b.Agencies(label)))}"));
            if (buckets.Count > 0)
                root.Add(new XElement(Svg + "polyline", new XAttribute("points", points), new XAttribute("fill", "none"),
                    new XAttribute("stroke", color), new XAttribute("stroke-width", "2"), new XAttribute("data-label", label)));
        }

        // X labels: at most about a dozen, evenly spaced.
        var every = Math.Max(1, (int)Math.Ceiling(buckets.Count / 12.0));
        for (var i = 0; i < buckets.Count; i += every)
        {
            var text = buckets[i].Start.ToString(report.By == "day" ? "yyyy-MM-dd" : "MM-dd HH:mm", CultureInfo.InvariantCulture);
            root.Add(Line(X(i), Top + plotH, X(i), Top + plotH + 4, "#333333"));
            root.Add(new XElement(Svg + "text", new XAttribute("x", F(X(i))), new XAttribute("y", F(Top + plotH + 16)),
                new XAttribute("text-anchor", "end"), new XAttribute("font-size", "11"),
                new XAttribute("transform", $"rotate(-35 {F(X(i))} {F(Top + plotH + 16)})"), text));
        }
        if (buckets.Count == 0) root.Add(Text(Left + plotW / 2, Top + plotH / 2, "no posts in this period", "14", "middle", null));

        // Legend.
        var legendY = Height - 18;
        var x0 = Left;
        foreach (var (label, color) in Series)
        {
            root.Add(Line(x0, legendY - 4, x0 + 22, legendY - 4, color, 3));
            root.Add(Text(x0 + 28, legendY, $"{label} agencies", "12", "start", null));
            x0 += 190;
        }
        root.Add(new XElement(Svg + "rect", new XAttribute("x", F(x0)), new XAttribute("y", F(legendY - 10)),
            new XAttribute("width", "22"), new XAttribute("height", "10"), new XAttribute("fill", "#d9d9d9")));
        root.Add(Text(x0 + 28, legendY, "posts", "12", "start", null));

        // No XML declaration: a standalone SVG is UTF-8 by default, whatever writer carries it.
        var document = new XDocument(root);
        using var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true, CloseOutput = false });
        document.Save(xml);
        xml.Flush();
        output.WriteLine();
    }

    private static XElement Line(double x1, double y1, double x2, double y2, string color, double width = 1) =>
        new(Svg + "line", new XAttribute("x1", F(x1)), new XAttribute("y1", F(y1)), new XAttribute("x2", F(x2)), new XAttribute("y2", F(y2)),
            new XAttribute("stroke", color), new XAttribute("stroke-width", F(width)));

    private static XElement Text(double x, double y, string text, string size, string anchor, string? weight)
    {
        var element = new XElement(Svg + "text", new XAttribute("x", F(x)), new XAttribute("y", F(y)),
            new XAttribute("font-size", size), new XAttribute("text-anchor", anchor), text);
        if (weight is not null) element.Add(new XAttribute("font-weight", weight));
        return element;
    }

    private static XElement Rotated(double x, double y, string text) =>
        new(Svg + "text", new XAttribute("x", F(x)), new XAttribute("y", F(y)), new XAttribute("text-anchor", "middle"),
            new XAttribute("transform", $"rotate(-90 {F(x)} {F(y)})"), text);

    /// <summary>A round tick step of at least <paramref name="raw"/>: 1, 2 or 5 times a power of ten, never below 1.</summary>
    private static int NiceStep(double raw)
    {
        if (raw <= 1) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var m in new[] { 1.0, 2.0, 5.0, 10.0 })
            if (m * magnitude >= raw) return (int)(m * magnitude);
        return (int)(10 * magnitude);
    }

    private static string F(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
