using Scriban;

namespace PrImageReport.Core.Reports;

/// <summary>A parsed Markdown report template: the embedded default or one the user supplies.</summary>
public sealed class ReportTemplate
{
    private const string DefaultResource = "PrImageReport.Core.Reports.Templates.report.md.scriban";

    private ReportTemplate(Template template, string name)
    {
        Compiled = template;
        Name = name;
    }

    /// <summary>The embedded template's text: a starting point for a custom template.</summary>
    public static string DefaultText { get; } = ReadDefault();

    public static ReportTemplate Default => DefaultTemplate.Value;

    private static readonly Lazy<ReportTemplate> DefaultTemplate = new(() => Parse(DefaultText, "report.md.scriban"));

    /// <summary>The name used in error messages (the template's file name).</summary>
    public string Name { get; }

    internal Template Compiled { get; }

    /// <summary>Parses a template, throwing <see cref="ReportTemplateException"/> naming the first error's line.</summary>
    public static ReportTemplate Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var template = Template.Parse(text.ReplaceLineEndings("\n"), name);
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == Scriban.Parsing.ParserMessageType.Error);
            throw new ReportTemplateException(At(name, first.Span.Start.Line, first.Message, "fix the Scriban syntax on that line"));
        }

        return new ReportTemplate(template, name);
    }

    /// <summary>"report.scriban:3: message; fix": one line, like a compiler's, with the 0-based <paramref name="line"/> made 1-based.</summary>
    internal static string At(string name, int line, string message, string fix)
    {
        var text = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
        return $"{name}:{(line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {text}; {fix}";
    }

    private static string ReadDefault()
    {
        using var stream = typeof(ReportTemplate).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"The embedded template {DefaultResource} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>A report template that does not parse or does not render: the message names the template and line.</summary>
public sealed class ReportTemplateException(string message, Exception? inner = null) : Exception(message, inner);
