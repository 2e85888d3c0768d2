using System.Text;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

public sealed class PackageDatabasesTests
{
    [Fact]
    public void Dpkg_status_counts_only_packages_whose_files_are_installed()
    {
        const string status = "Package: a\r\nStatus: install ok installed\r\nVersion: 1\r\n\r\n"
                              + "Package: b\nStatus: hold ok installed\nVersion: 2\n\n"
                              + "Package: c\nStatus: deinstall ok config-files\nVersion: 3\n\n"
                              + "Package: d\nStatus: install ok half-installed\nVersion: 4\n\n"
                              + "Package: e\nVersion: 5\n";

        var packages = PackageDatabases.ParseDpkgStatus(status, statusRequired: true);

        Assert.Equal(
            [new InstalledPackage(PackageManager.Dpkg, "a", "1", null), new InstalledPackage(PackageManager.Dpkg, "b", "2", null)],
            packages);
    }

    [Fact]
    public void Dpkg_continuation_lines_do_not_start_fields_and_field_names_ignore_case()
    {
        const string status = "package: tzdata\nstatus: install ok installed\nDescription: time zone data\n Version: 9.9 is not a field here\ninstalled-size: 3\nversion: 2024a-0+deb12u1\n";

        var package = Assert.Single(PackageDatabases.ParseDpkgStatus(status, statusRequired: true));

        Assert.Equal(new InstalledPackage(PackageManager.Dpkg, "tzdata", "2024a-0+deb12u1", 3072), package);
    }

    [Fact]
    public void Apk_field_names_are_case_sensitive()
    {
        const string installed = "P:gcc\ni:lib\nV:13.2.1-r0\nI:4096\np:cc\n\nP:make\nV:4.4.1-r2\n";

        var packages = PackageDatabases.ParseApkInstalled(installed);

        Assert.Equal(
            [new InstalledPackage(PackageManager.Apk, "gcc", "13.2.1-r0", 4096), new InstalledPackage(PackageManager.Apk, "make", "4.4.1-r2", null)],
            packages);
    }

    [Theory]
    [InlineData("/var/lib/dpkg/status", true)]
    [InlineData("/var/lib/dpkg/status.d/libc6", true)]
    [InlineData("/var/lib/dpkg/status.d/libc6.md5sums", false)]
    [InlineData("/var/lib/dpkg/status-old", false)]
    [InlineData("/var/lib/dpkg/status.d/sub/x", false)]
    [InlineData("/var/lib/dpkg/status.d/libsqlite3-0.preinst", false)]
    [InlineData("/var/lib/dpkg/status.d/python3.11", true)]
    [InlineData("/lib/apk/db/installed", true)]
    [InlineData("/usr/lib/apk/db/installed", true)]
    [InlineData("/usr/local/lib/python3.11/site-packages/pip-23.0.1.dist-info/METADATA", true)]
    [InlineData("/usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD", true)]
    [InlineData("/usr/local/lib/python3.11/site-packages/pip-23.0.1.dist-info/WHEEL", false)]
    [InlineData("/usr/local/lib/python3.11/site-packages/pip/_vendor/x.dist-info/METADATA", false)]
    [InlineData("/usr/share/doc/site-packages-notes/x.dist-info/METADATA", false)]
    [InlineData("/site-packages/x.egg-info/METADATA", false)]
    public void Package_database_paths(string path, bool isDatabase)
    {
        Assert.Equal(isDatabase, PackageDatabases.IsDatabase(path));
    }

    [Fact]
    public void Real_debian_bookworm_slim_status_lists_every_package_with_its_size()
    {
        var packages = PackageDatabases.ParseDpkgStatus(TestDataFiles.Text(TestDataFiles.DebianBookwormSlimStatus), statusRequired: true).ToList();

        Assert.Equal(96, packages.Count);
        Assert.Equal(new InstalledPackage(PackageManager.Dpkg, "adduser", "3.134", 686 * 1024), packages[0]);
        Assert.Contains(new InstalledPackage(PackageManager.Dpkg, "libc6", "2.36-9+deb12u14", 13001 * 1024), packages);
        Assert.Contains(new InstalledPackage(PackageManager.Dpkg, "libattr1", "1:2.5.1-4", 59 * 1024), packages);
        Assert.Contains(new InstalledPackage(PackageManager.Dpkg, "tzdata", "2026f-0+deb12u1", 2571 * 1024), packages);
        Assert.Equal(new InstalledPackage(PackageManager.Dpkg, "zlib1g", "1:1.2.13.dfsg-1", 168 * 1024), packages[^1]);
    }

    [Fact]
    public void Apk_installed_database_lists_every_package_with_its_size()
    {
        var packages = PackageDatabases.ParseApkInstalled(TestDataFiles.Text(TestDataFiles.ApkInstalled)).ToList();

        Assert.Equal(
            [
                "musl", "busybox", "busybox-binsh", "alpine-baselayout-data", "alpine-baselayout", "alpine-keys", "ca-certificates-bundle",
                "libcrypto3", "libssl3", "ssl_client", "zlib", "apk-tools", "scanelf", "musl-utils", "libc-utils",
            ],
            packages.Select(p => p.Name));
        Assert.Equal(new InstalledPackage(PackageManager.Apk, "musl", "1.2.5-r0", 651_264), packages[0]);
        Assert.Equal(new InstalledPackage(PackageManager.Apk, "libcrypto3", "3.3.1-r3", 4_927_488), packages[7]);

        // alpine-keys has no I: line; ssl_client's i: (install_if) line comes after its I: and is not its size.
        Assert.Equal(new InstalledPackage(PackageManager.Apk, "alpine-keys", "2.4-r1", null), packages[5]);
        Assert.Equal(new InstalledPackage(PackageManager.Apk, "ssl_client", "1.36.1-r29", 14_336), packages[9]);

        // The file ends without a blank line after its last paragraph.
        Assert.Equal(new InstalledPackage(PackageManager.Apk, "libc-utils", "0.7.2-r5", 4096), packages[^1]);
    }

    [Fact]
    public void Distroless_status_d_file_without_a_status_field_is_installed()
    {
        var text = TestDataFiles.Text(TestDataFiles.DistrolessLibzstd);

        var package = Assert.Single(PackageDatabases.ParseDpkgStatus(text, statusRequired: false));

        Assert.Equal(new InstalledPackage(PackageManager.Dpkg, "libzstd1", "1.5.4+dfsg2-5", 785 * 1024), package);
        Assert.Empty(PackageDatabases.ParseDpkgStatus(text, statusRequired: true));
    }

    [Fact]
    public async Task Real_pip_metadata_gives_name_and_version_from_its_headers()
    {
        var kept = await PackageDatabases.ReadPythonMetadataAsync(new MemoryStream(TestDataFiles.Bytes(TestDataFiles.PipMetadata)), CancellationToken.None);

        Assert.Equal("Name: pip\nVersion: 23.0.1", kept);
        Assert.Equal(
            [new InstalledPackage(PackageManager.Python, "pip", "23.0.1", 6_133_412)],
            PackageDatabases.ParsePythonMetadata(kept, recordBytes: 6_133_412));
    }

    [Fact]
    public async Task Real_pip_record_sums_the_size_column_and_counts_lines_without_a_size_as_zero()
    {
        // 996 lines, 492 of them (.pyc files, RECORD itself) without a size; the sum is what Python's csv module gives.
        var total = await PackageDatabases.SumRecordSizesAsync(new MemoryStream(TestDataFiles.Bytes(TestDataFiles.PipRecord)), CancellationToken.None);

        Assert.Equal(6_133_412, total);
    }

    [Theory]
    [InlineData("a.py,sha256=x,10\nb.pyc,,\nc.py,sha256=y,5\n", 15)]
    [InlineData("a.py,sha256=x,10\r\nb.dist-info/RECORD,,\r\nc.py,sha256=y,5", 15)]
    [InlineData("\"odd,name.py\",sha256=x,7\n", 7)]
    [InlineData("a.py,sha256=x,12x\n12345\nb.py,sha256=y,-3\n", 0)]
    [InlineData("", 0)]
    public async Task Record_sizes_come_from_the_last_of_three_fields_only(string record, long expected)
    {
        var total = await PackageDatabases.SumRecordSizesAsync(new MemoryStream(Encoding.UTF8.GetBytes(record)), CancellationToken.None);

        Assert.Equal(expected, total);
    }

    [Fact]
    public async Task Metadata_headers_end_at_the_first_blank_line()
    {
        var metadata = "Metadata-Version: 2.1\nname: six\nVersion: 1.16.0\nSummary: Python 2 and 3 compatibility utilities\n\nName: not-a-header\nVersion: 0\n";

        var kept = await PackageDatabases.ReadPythonMetadataAsync(new MemoryStream(Encoding.UTF8.GetBytes(metadata)), CancellationToken.None);

        Assert.Equal("name: six\nVersion: 1.16.0", kept);
    }

    [Fact]
    public async Task Metadata_blank_line_split_across_two_reads_ends_the_headers()
    {
        // 28 bytes a read: the first read ends with "1.16.0\r\n", the second starts with the "\r\n" of the blank line.
        var metadata = new ChunkedStream(Encoding.UTF8.GetBytes("Name: six\r\nVersion: 1.16.0\r\n\r\nName: body\r\n"), chunk: 28);

        var kept = await PackageDatabases.ReadPythonMetadataAsync(metadata, CancellationToken.None);

        Assert.Equal("Name: six\nVersion: 1.16.0", kept);
    }

    [Fact]
    public async Task Metadata_without_a_blank_line_is_read_up_to_the_limit_in_whole_lines()
    {
        // An old-style METADATA: the description as a header, over the limit, and a cut line at the limit.
        var description = string.Concat(Enumerable.Range(0, 5000).Select(i => $"        line {i} of the description\n"));
        var metadata = Encoding.UTF8.GetBytes($"Metadata-Version: 1.1\nName: Big_Package\nVersion: 1.0\nDescription: {description}Name: past-the-limit\n");
        var stream = new ChunkedStream(metadata, chunk: 4096);

        var kept = await PackageDatabases.ReadPythonMetadataAsync(stream, CancellationToken.None);

        Assert.True(metadata.Length > PackageDatabases.MetadataHeaderLimit);
        Assert.Equal("Name: Big_Package\nVersion: 1.0", kept);
        Assert.Equal(PackageDatabases.MetadataHeaderLimit, stream.BytesRead);
    }

    [Theory]
    [InlineData("Django", "django")]
    [InlineData("typing_extensions", "typing-extensions")]
    [InlineData("zope.interface", "zope-interface")]
    [InlineData("Foo.-_Bar", "foo-bar")]
    public void Python_names_normalize_as_pep_503_says(string name, string normalized)
    {
        Assert.Equal(normalized, PackageDatabases.NormalizePythonName(name));
    }

    [Fact]
    public void Python_distributions_are_one_per_normalized_name_and_keep_the_name_as_written()
    {
        var databases = new Dictionary<string, DatabaseFile>
        {
            ["/usr/local/lib/python3.11/site-packages/typing-extensions-4.12.2.dist-info/METADATA"] = new("Name: typing-extensions\nVersion: 4.12.2"),
            ["/usr/lib/python3/dist-packages/Typing_Extensions-4.6.0.dist-info/METADATA"] = new("Name: Typing_Extensions\nVersion: 4.6.0"),
            ["/usr/lib/python3/dist-packages/Typing_Extensions-4.6.0.dist-info/RECORD"] = new("", RecordBytes: 120),
            ["/usr/lib/python3/dist-packages/attrs-23.1.0.dist-info/METADATA"] = new("Name: attrs\nVersion: 23.1.0"),
            ["/var/lib/dpkg/status"] = new("Package: python3-attr\nStatus: install ok installed\nVersion: 22.2.0-1\n"),
        };

        var packages = PackageDatabases.Parse(databases).Select(l => l.Package);

        Assert.Equal(
            [
                new InstalledPackage(PackageManager.Dpkg, "python3-attr", "22.2.0-1", null),
                new InstalledPackage(PackageManager.Python, "Typing_Extensions", "4.6.0", 120),
                new InstalledPackage(PackageManager.Python, "attrs", "23.1.0", null),
            ],
            packages);
    }

    /// <summary>Hands out at most <paramref name="chunk"/> bytes per read, as a network stream may, and counts what was read.</summary>
    private sealed class ChunkedStream(byte[] content, int chunk) : ForwardOnlyStream
    {
        public int BytesRead { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), content.Length - BytesRead);
            content.AsSpan(BytesRead, n).CopyTo(buffer);
            BytesRead += n;
            return n;
        }
    }
}
