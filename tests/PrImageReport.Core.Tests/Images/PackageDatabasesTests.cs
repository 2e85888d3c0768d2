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
    [InlineData("/lib/apk/db/installed", true)]
    [InlineData("/usr/lib/apk/db/installed", true)]
    public void Package_database_paths(string path, bool isDatabase)
    {
        Assert.Equal(isDatabase, PackageDatabases.IsDatabase(path));
    }
}
