using System.Globalization;
using System.Text;

namespace PrImageReport.Core.Images;

/// <summary>Which package database a path is, if any.</summary>
internal enum DatabaseKind
{
    None,
    DpkgStatus,

    /// <summary>One file per package in status.d, as distroless images keep them.</summary>
    DpkgStatusPart,

    ApkInstalled,

    /// <summary>A <c>*.dist-info/METADATA</c> directly inside site-packages or dist-packages.</summary>
    PythonMetadata,

    /// <summary>The <c>RECORD</c> beside a <see cref="PythonMetadata"/>.</summary>
    PythonRecord,
}

/// <summary>What the layer scanner keeps of a package database file.</summary>
/// <param name="Text">The file's text; for a METADATA only its Name and Version lines; empty for a RECORD.</param>
/// <param name="RecordBytes">For a RECORD, the sum of its size column; its text is not kept.</param>
internal sealed record DatabaseFile(string Text, long RecordBytes = 0);

/// <summary>An installed package and the database file that lists it.</summary>
internal sealed record ListedPackage(InstalledPackage Package, string Database);

/// <summary>Where dpkg, apk and Python keep their lists of installed packages, and how to read them.</summary>
internal static class PackageDatabases
{
    /// <summary>A METADATA header block is a few kB; reading stops here even when no blank line ended it.</summary>
    public const int MetadataHeaderLimit = 64 * 1024;

    private const string DpkgStatus = "/var/lib/dpkg/status";
    private const string DpkgStatusDirectory = "/var/lib/dpkg/status.d/";
    private const string DpkgInfoDirectory = "/var/lib/dpkg/info/";

    private static readonly HashSet<string> ApkInstalled = new(StringComparer.Ordinal) { "/lib/apk/db/installed", "/usr/lib/apk/db/installed" };

    /// <summary>Maintainer scripts and file lists that distroless images keep beside each status.d file.</summary>
    private static readonly string[] DpkgControlSuffixes =
        [".md5sums", ".conffiles", ".list", ".preinst", ".postinst", ".prerm", ".postrm", ".triggers", ".shlibs", ".symbols", ".templates", ".config"];

    public static bool IsDatabase(string path) => KindOf(path) != DatabaseKind.None;

    public static DatabaseKind KindOf(string path)
    {
        if (path == DpkgStatus)
        {
            return DatabaseKind.DpkgStatus;
        }

        if (ApkInstalled.Contains(path))
        {
            return DatabaseKind.ApkInstalled;
        }

        if (path.StartsWith(DpkgStatusDirectory, StringComparison.Ordinal))
        {
            return path.IndexOf('/', DpkgStatusDirectory.Length) < 0
                   && !DpkgControlSuffixes.Any(s => path.EndsWith(s, StringComparison.Ordinal))
                ? DatabaseKind.DpkgStatusPart
                : DatabaseKind.None;
        }

        return PythonKindOf(path);
    }

    /// <summary>Packages of all databases: one per manager and name (for Python per normalized name, the first by path kept), sorted by manager then name.</summary>
    public static IReadOnlyList<ListedPackage> Parse(IReadOnlyDictionary<string, DatabaseFile> databases)
    {
        var packages = new Dictionary<(PackageManager, string), ListedPackage>();
        foreach (var (path, file) in databases.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var parsed = KindOf(path) switch
            {
                DatabaseKind.DpkgStatus => ParseDpkgStatus(file.Text, statusRequired: true),
                DatabaseKind.DpkgStatusPart => ParseDpkgStatus(file.Text, statusRequired: false),
                DatabaseKind.ApkInstalled => ParseApkInstalled(file.Text),
                DatabaseKind.PythonMetadata => ParsePythonMetadata(file.Text, RecordBytes(databases, path)),
                _ => [],
            };
            foreach (var package in parsed)
            {
                var key = package.Manager == PackageManager.Python ? NormalizePythonName(package.Name) : package.Name;
                packages.TryAdd((package.Manager, key), new ListedPackage(package, path));
            }
        }

        return
        [
            .. packages.Values
                .OrderBy(p => p.Package.Manager)
                .ThenBy(p => p.Package.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// The layer that installed each package, as far as the final filesystem tells: for the dpkg status file the
    /// layer that wrote the package's <c>info/&lt;name&gt;.list</c>; otherwise the layer that wrote the database
    /// file listing it. For apk that is only approximate: every <c>apk add</c> rewrites the one installed file, so
    /// all apk packages get the layer of the last apk run.
    /// </summary>
    public static IReadOnlyDictionary<InstalledPackage, int> Layers(IReadOnlyList<ListedPackage> listed, IReadOnlyDictionary<string, ImageFile> files)
    {
        var lists = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (path, file) in files)
        {
            if (path.StartsWith(DpkgInfoDirectory, StringComparison.Ordinal)
                && path.EndsWith(".list", StringComparison.Ordinal)
                && path.IndexOf('/', DpkgInfoDirectory.Length) < 0)
            {
                // "libc6:amd64.list" belongs to libc6; a package installed for two architectures counts from its first layer.
                var name = path[DpkgInfoDirectory.Length..^".list".Length].Split(':')[0];
                lists[name] = lists.TryGetValue(name, out var layer) ? Math.Min(layer, file.Layer) : file.Layer;
            }
        }

        var layers = new Dictionary<InstalledPackage, int>();
        foreach (var (package, database) in listed)
        {
            int? layer = database == DpkgStatus
                ? lists.TryGetValue(package.Name, out var listLayer) ? listLayer : null
                : files.TryGetValue(database, out var file) ? file.Layer : null;
            if (layer is { } known)
            {
                layers[package] = known;
            }
        }

        return layers;
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

    /// <summary>The Name and Version headers of a METADATA file (email-style headers, names ignore case), as <see cref="ReadPythonMetadataAsync"/> keeps them.</summary>
    /// <param name="recordBytes">The sum of the sibling RECORD's sizes, null when there is no RECORD.</param>
    internal static IEnumerable<InstalledPackage> ParsePythonMetadata(string headers, long? recordBytes)
    {
        var fields = Paragraphs(headers, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
        if (fields is not null && fields.TryGetValue("Name", out var name) && name.Length > 0)
        {
            yield return new InstalledPackage(PackageManager.Python, name, fields.GetValueOrDefault("Version", ""), recordBytes);
        }
    }

    /// <summary>PEP 503: "Foo_Bar.baz" and "foo-bar-baz" are the same distribution.</summary>
    internal static string NormalizePythonName(string name)
    {
        var normalized = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is '-' or '_' or '.')
            {
                if (normalized.Length == 0 || normalized[^1] != '-')
                {
                    normalized.Append('-');
                }
            }
            else
            {
                normalized.Append(char.ToLowerInvariant(c));
            }
        }

        return normalized.ToString();
    }

    /// <summary>
    /// The Name and Version lines of a METADATA's header block, which ends at the first blank line; reading stops
    /// there, or after <see cref="MetadataHeaderLimit"/> bytes. Only these lines are kept: old-style METADATA
    /// carries the whole description as a header.
    /// </summary>
    internal static async Task<string> ReadPythonMetadataAsync(Stream metadata, CancellationToken ct)
    {
        var buffer = new byte[MetadataHeaderLimit];
        var length = 0;
        var end = -1;
        int read;
        while (end < 0 && length < buffer.Length && (read = await metadata.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            // Search from just before the new bytes: a blank line may straddle two reads.
            end = HeaderEnd(buffer.AsSpan(0, length + read), Math.Max(0, length - 2));
            length += read;
        }

        // Without a blank line within the limit, the last line may be cut: keep the complete ones.
        var headers = Encoding.UTF8.GetString(buffer, 0, end >= 0 ? end : length == buffer.Length ? buffer.AsSpan().LastIndexOf((byte)'\n') + 1 : length);
        return string.Join('\n', headers.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith("Name:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Version:", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// Sums the last column of a RECORD ("path,hash,size") while it streams past, keeping only the digits of the
    /// current field, so a RECORD of any length costs no memory. Lines without a size count 0.
    /// </summary>
    internal static async Task<long> SumRecordSizesAsync(Stream record, CancellationToken ct)
    {
        const int maxDigits = 18;
        var buffer = new byte[16 * 1024];
        long total = 0, field = 0;
        int digits = 0, commas = 0;
        var valid = true;
        int read;
        while ((read = await record.ReadAsync(buffer, ct)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                switch (b)
                {
                    case (byte)'\n':
                        total += LineSize();
                        (field, digits, commas, valid) = (0, 0, 0, true);
                        break;
                    case (byte)',':
                        (field, digits, valid) = (0, 0, true);
                        commas++;
                        break;
                    case (byte)'\r':
                        break;
                    case >= (byte)'0' and <= (byte)'9' when valid && digits < maxDigits:
                        field = (field * 10) + (b - '0');
                        digits++;
                        break;
                    default:
                        valid = false;
                        break;
                }
            }
        }

        return total + LineSize();

        // A quoted path may hold commas, but the size is always the last of at least three fields.
        long LineSize() => valid && digits > 0 && commas >= 2 ? field : 0;
    }

    /// <summary>Index of the line break that ends the header block (the first of two in a row), or -1.</summary>
    private static int HeaderEnd(ReadOnlySpan<byte> text, int from)
    {
        for (var i = from; i < text.Length - 1; i++)
        {
            if (text[i] == '\n' && (text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < text.Length && text[i + 2] == '\n')))
            {
                return i;
            }
        }

        return -1;
    }

    private static long? RecordBytes(IReadOnlyDictionary<string, DatabaseFile> databases, string metadataPath) =>
        databases.TryGetValue(metadataPath[..(metadataPath.LastIndexOf('/') + 1)] + "RECORD", out var record) ? record.RecordBytes : null;

    /// <summary>".../site-packages/requests-2.32.3.dist-info/METADATA" and its RECORD.</summary>
    private static DatabaseKind PythonKindOf(string path)
    {
        var nameStart = path.LastIndexOf('/');
        var kind = path.AsSpan(nameStart + 1) switch
        {
            "METADATA" => DatabaseKind.PythonMetadata,
            "RECORD" => DatabaseKind.PythonRecord,
            _ => DatabaseKind.None,
        };
        if (kind == DatabaseKind.None || nameStart <= 0)
        {
            return DatabaseKind.None;
        }

        var distInfoStart = path.LastIndexOf('/', nameStart - 1);
        if (distInfoStart <= 0 || !path.AsSpan(distInfoStart, nameStart - distInfoStart).EndsWith(".dist-info", StringComparison.Ordinal))
        {
            return DatabaseKind.None;
        }

        var packagesStart = path.LastIndexOf('/', distInfoStart - 1) + 1;
        return path.AsSpan(packagesStart, distInfoStart - packagesStart) is "site-packages" or "dist-packages" ? kind : DatabaseKind.None;
    }

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
