using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Comparison;

public class PackageDiffTests
{
    [Fact]
    public void Seed_regression_adds_the_toolchain_packages_largest_first()
    {
        var changes = PackageDiff.Compare(SeedFacts.SlimImage().Packages, SeedFacts.FatImage().Packages);

        Assert.Equal(
            [("gcc-12", PackageChangeKind.Added), ("git", PackageChangeKind.Added), ("g++-12", PackageChangeKind.Added), ("libpython3.11-dev", PackageChangeKind.Added), ("build-essential", PackageChangeKind.Added)],
            changes.Select(c => (c.Name, c.Kind)));
        Assert.Equal(70_656_000, changes[0].DeltaBytes);
    }

    [Fact]
    public void Added_removed_and_upgraded_packages_with_their_sizes()
    {
        InstalledPackage[] before = [Dpkg("curl", "7.88.1-10", 500_000), Dpkg("libssl3", "3.0.11-1", 6_000_000), Dpkg("zlib1g", "1:1.2.13", 160_000)];
        InstalledPackage[] after = [Dpkg("curl", "7.88.1-10", 500_000), Dpkg("libssl3", "3.0.15-1", 6_100_000), Dpkg("wget", "1.21.3", 3_700_000)];

        var changes = PackageDiff.Compare(before, after);

        Assert.Equal(
            [
                new PackageChange(PackageManager.Dpkg, "wget", null, "1.21.3", null, 3_700_000),
                new PackageChange(PackageManager.Dpkg, "zlib1g", "1:1.2.13", null, 160_000, null),
                new PackageChange(PackageManager.Dpkg, "libssl3", "3.0.11-1", "3.0.15-1", 6_000_000, 6_100_000),
            ],
            changes);
        Assert.Equal([PackageChangeKind.Added, PackageChangeKind.Removed, PackageChangeKind.Upgraded], changes.Select(c => c.Kind));
    }

    [Fact]
    public void Python_names_compare_as_pep_503_normalizes_them_and_managers_stay_apart()
    {
        InstalledPackage[] before = [new(PackageManager.Python, "Flask_SQLAlchemy", "3.1.1", null), new(PackageManager.Dpkg, "python3-flask", "2.2.2", null)];
        InstalledPackage[] after = [new(PackageManager.Python, "flask-sqlalchemy", "3.1.1", null), new(PackageManager.Apk, "python3-flask", "2.2.2", null)];

        var changes = PackageDiff.Compare(before, after);

        Assert.Equal([(PackageManager.Apk, PackageChangeKind.Added), (PackageManager.Dpkg, PackageChangeKind.Removed)], changes.Select(c => (c.Manager, c.Kind)).OrderBy(c => c.Kind));
    }

    private static InstalledPackage Dpkg(string name, string version, long size) => new(PackageManager.Dpkg, name, version, size);
}
