using System.Text.RegularExpressions;

namespace PrImageReport.Core.Images.History;

/// <summary>
/// Recovers the Dockerfile instruction from an image history entry's created_by, which each builder writes its own way:
/// classic "/bin/sh -c #(nop)  ENV A=1", "/bin/sh -c make", "|1 V=2 /bin/sh -c make";
/// BuildKit "RUN |1 V=2 /bin/sh -c make # buildkit", "COPY . . # buildkit", "EXPOSE map[8080/tcp:{}]" (buildx 0.29's
/// BuildKit: "EXPOSE [8080/tcp]").
/// </summary>
internal static partial class LayerInstructions
{
    public const string BaseImage = "(base image)";

    private const string Shell = "/bin/sh -c ";
    private const string ClassicMetadata = "#(nop) ";
    private const string BuildKitMarker = "# buildkit";

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL",
        "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    };

    public static string Recover(string? createdBy)
    {
        var text = (createdBy ?? "").Trim();
        if (text.Length == 0)
        {
            // Layers imported from a tarball (docker import, mmdebstrap) record no command.
            return BaseImage;
        }

        if (text.EndsWith(BuildKitMarker, StringComparison.Ordinal))
        {
            text = text[..^BuildKitMarker.Length].TrimEnd();
        }

        if (text.StartsWith(Shell + ClassicMetadata, StringComparison.Ordinal))
        {
            return ClassicCopy(text[(Shell.Length + ClassicMetadata.Length)..].Trim());
        }

        var keyword = text.Split(' ', 2)[0];
        if (keyword == "RUN")
        {
            return "RUN " + RunCommand(text[3..].TrimStart());
        }

        if (keyword == "EXPOSE" && ExposedPorts().Match(text) is { Success: true } ports)
        {
            return "EXPOSE " + string.Join(' ', ports.Groups["port"].Captures.Select(c => c.Value));
        }

        if (Keywords.Contains(keyword) || text.StartsWith('#'))
        {
            // BuildKit metadata steps, and comments some base images put in place of a command.
            return text;
        }

        return "RUN " + RunCommand(text);
    }

    /// <summary>Classic COPY/ADD name their source by content hash ("COPY file:3f2a… in /app"); the destination is what is left to show.</summary>
    private static string ClassicCopy(string instruction) =>
        ClassicCopySource().Match(instruction) is { Success: true } m
            ? $"{m.Groups["keyword"].Value}{m.Groups["flags"].Value} ... {m.Groups["destination"].Value.Trim()}"
            : instruction;

    /// <summary>Drops the build-argument prefix ("|2 A=1 B=2 ") and the default shell, keeps BuildKit flags such as --mount.</summary>
    private static string RunCommand(string text)
    {
        var flags = new List<string>();
        while (true)
        {
            if (BuildArgsPrefix().Match(text) is { Success: true } args)
            {
                var count = int.Parse(args.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture);
                text = text[args.Length..];
                for (var i = 0; i < count && BuildArg().Match(text) is { Success: true } arg; i++)
                {
                    text = text[arg.Length..];
                }
            }
            else if (text.StartsWith("--", StringComparison.Ordinal))
            {
                var flag = text.Split(' ', 2);
                flags.Add(flag[0]);
                text = flag.Length > 1 ? flag[1] : "";
            }
            else
            {
                break;
            }
        }

        if (text.StartsWith(Shell, StringComparison.Ordinal))
        {
            text = text[Shell.Length..];
        }

        flags.Add(text);
        return string.Join(' ', flags).Trim();
    }

    [GeneratedRegex(@"^(?<keyword>COPY|ADD)(?<flags>(?: --\S+)*) (?:file|dir|multi):[0-9a-f]+ in (?<destination>.+)$")]
    private static partial Regex ClassicCopySource();

    [GeneratedRegex(@"^\|(?<count>\d+) ")]
    private static partial Regex BuildArgsPrefix();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=\S* ?")]
    private static partial Regex BuildArg();

    [GeneratedRegex(@"^EXPOSE (?:map\[(?:(?<port>[^:\s\]]+):\{\} ?)*\]|\[(?:(?<port>[^\s\]]+) ?)*\])$")]
    private static partial Regex ExposedPorts();
}
