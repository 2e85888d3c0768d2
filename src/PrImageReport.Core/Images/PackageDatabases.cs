using System.Globalization;

namespace PrImageReport.Core.Images;

/// <summary>Where dpkg and apk keep their list of installed packages, and how to read it.</summary>
internal static class PackageDatabases
{
    private const string DpkgStatus = "/var/lib/dpkg/status";

    /// <summary>Distroless images have no status file, only one file per package here.</summary>
    private const string DpkgStatusDirectory = "/var/lib/dpkg/status.d/";

    private static readonly HashSet<string> ApkInstalled = new(StringComparer.Ordinal) { "/lib/apk/db/installed", "/usr/lib/apk/db/installed" };

    public static bool IsDatabase(string path) =>
        path == DpkgStatus || ApkInstalled.Contains(path) || IsDpkgStatusPart(path);

    /// <summary>Packages of all databases, one entry per manager and name, sorted by manager then name.</summary>
    public static IReadOnlyList<InstalledPackage> Parse(IReadOnlyDictionary<string, string> databases)
    {
        var packages = new Dictionary<(PackageManager, string), InstalledPackage>();
        foreach (var (path, text) in databases.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var parsed = ApkInstalled.Contains(path)
                ? ParseApkInstalled(text)
                : ParseDpkgStatus(text, statusRequired: path == DpkgStatus);
            foreach (var package in parsed)
            {
                packages.TryAdd((package.Manager, package.Name), package);
            }
        }

        return
        [
            .. packages.Values
                .OrderBy(p => p.Manager)
                .ThenBy(p => p.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// Paragraphs of "Field: value" lines. A package counts when its Status ends in "installed": the want flag
    /// ("install", "hold", "deinstall") does not change whether its files are on disk.
    /// </summary>
    /// <param name="statusRequired">False for distroless status.d files, which may leave the Status field out.</param>
    internal static IEnumerable<InstalledPackage> ParseDpkgStatus(string text, bool statusRequired)
    {
        foreach (var fields in Paragraphs(text, StringComparer.OrdinalIgnoreCase))
        {
            if (!fields.TryGetValue("Package", out var name) || name.Length == 0)
            {
                continue;
            }

            var installed = fields.TryGetValue("Status", out var status)
                ? status.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "ok", "installed"]
                : !statusRequired;
            if (!installed)
            {
                continue;
            }

            long? size = fields.TryGetValue("Installed-Size", out var kib) && long.TryParse(kib, NumberStyles.None, CultureInfo.InvariantCulture, out var k)
                ? k * 1024
                : null;
            yield return new InstalledPackage(PackageManager.Dpkg, name, fields.GetValueOrDefault("Version", ""), size);
        }
    }

    /// <summary>Paragraphs of "X:value" lines: P is the name, V the version, I the installed size in bytes.</summary>
    internal static IEnumerable<InstalledPackage> ParseApkInstalled(string text)
    {
        foreach (var fields in Paragraphs(text, StringComparer.Ordinal))
        {
            if (!fields.TryGetValue("P", out var name) || name.Length == 0)
            {
                continue;
            }

            long? size = fields.TryGetValue("I", out var bytes) && long.TryParse(bytes, NumberStyles.None, CultureInfo.InvariantCulture, out var b)
                ? b
                : null;
            yield return new InstalledPackage(PackageManager.Apk, name, fields.GetValueOrDefault("V", ""), size);
        }
    }

    private static bool IsDpkgStatusPart(string path) =>
        path.StartsWith(DpkgStatusDirectory, StringComparison.Ordinal)
        && path.IndexOf('/', DpkgStatusDirectory.Length) < 0
        && !path.EndsWith(".md5sums", StringComparison.Ordinal);

    /// <summary>Blank-line separated paragraphs of "Name: value" lines; continuation lines (leading space or tab) belong to fields not needed here.</summary>
    /// <param name="names">dpkg field names ignore case; apk's do not ("I" is the size, "i" install-if).</param>
    private static IEnumerable<Dictionary<string, string>> Paragraphs(string text, StringComparer names)
    {
        var fields = new Dictionary<string, string>(names);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                if (fields.Count > 0)
                {
                    yield return fields;
                    fields = new Dictionary<string, string>(names);
                }

                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        if (fields.Count > 0)
        {
            yield return fields;
        }
    }
}
