using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

public sealed class PythonDistributionsTests
{
    private const string SitePackages = "opt/venv/lib/python3.11/site-packages";

    private static Task<ImageFilesystem> Read(Stream archive) => ImageArchiveReader.ReadAsync(archive, CancellationToken.None);

    private static LayerBuilder WithPip(LayerBuilder layer, string directory = SitePackages) =>
        layer
            .File($"{directory}/pip-23.0.1.dist-info/METADATA", TestDataFiles.Bytes(TestDataFiles.PipMetadata))
            .File($"{directory}/pip-23.0.1.dist-info/RECORD", TestDataFiles.Bytes(TestDataFiles.PipRecord))
            .File($"{directory}/pip-23.0.1.dist-info/INSTALLER", "pip\n");

    [Fact]
    public async Task Dist_info_in_site_packages_is_listed_with_the_size_its_record_gives()
    {
        var image = await Read(ArchiveBuilder.Classic(WithPip(new LayerBuilder()).ToTar()));

        Assert.Equal([new InstalledPackage(PackageManager.Python, "pip", "23.0.1", 6_133_412)], image.Packages);
    }

    [Fact]
    public async Task Dist_info_without_a_record_has_no_size_and_one_outside_site_packages_is_not_a_package()
    {
        var layer = new LayerBuilder()
            .File("usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n\nSix is a compatibility library.\n")
            .File("usr/share/doc/wheels/pip-23.0.1.dist-info/METADATA", TestDataFiles.Bytes(TestDataFiles.PipMetadata))
            .File($"{SitePackages}/pip/_vendor/rich-13.3.1.dist-info/METADATA", "Name: rich\nVersion: 13.3.1\n")
            .ToTar();

        var image = await Read(ArchiveBuilder.Oci(layer));

        Assert.Equal([new InstalledPackage(PackageManager.Python, "six", "1.16.0", null)], image.Packages);
    }

    [Fact]
    public async Task Uninstalled_distribution_disappears_with_its_dist_info_directory()
    {
        var install = WithPip(new LayerBuilder()).ToTar();
        var uninstall = new LayerBuilder().Whiteout($"{SitePackages}/pip-23.0.1.dist-info").ToTar();

        var image = await Read(ArchiveBuilder.Classic(install, uninstall));

        Assert.Empty(image.Packages);
    }

    [Fact]
    public async Task Upgraded_distribution_lists_only_the_new_version()
    {
        var install = WithPip(new LayerBuilder()).ToTar();
        var upgrade = new LayerBuilder()
            .Whiteout($"{SitePackages}/pip-23.0.1.dist-info")
            .File($"{SitePackages}/pip-24.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: pip\nVersion: 24.0\n")
            .File($"{SitePackages}/pip-24.0.dist-info/RECORD", "pip/__init__.py,sha256=x,357\npip-24.0.dist-info/RECORD,,\n")
            .ToTar();

        var image = await Read(ArchiveBuilder.Classic(install, upgrade));

        Assert.Equal([new InstalledPackage(PackageManager.Python, "pip", "24.0", 357)], image.Packages);
    }

    [Fact]
    public async Task Record_overwritten_by_a_later_layer_gives_the_later_size()
    {
        var install = WithPip(new LayerBuilder()).ToTar();
        var rewrite = new LayerBuilder().File($"{SitePackages}/pip-23.0.1.dist-info/RECORD", "pip/__init__.py,sha256=x,357\n").ToTar();

        var image = await Read(ArchiveBuilder.Classic(install, rewrite));

        Assert.Equal([new InstalledPackage(PackageManager.Python, "pip", "23.0.1", 357)], image.Packages);
    }

    [Fact]
    public async Task Site_packages_replaced_by_an_opaque_directory_forgets_what_was_in_it()
    {
        var install = WithPip(new LayerBuilder()).ToTar();
        var fresh = new LayerBuilder()
            .Directory($"{SitePackages}/")
            .Opaque(SitePackages)
            .File($"{SitePackages}/wheel-0.42.0.dist-info/METADATA", "Name: wheel\nVersion: 0.42.0\n")
            .ToTar();

        var image = await Read(ArchiveBuilder.Classic(install, fresh));

        Assert.Equal([new InstalledPackage(PackageManager.Python, "wheel", "0.42.0", null)], image.Packages);
    }

    [Fact]
    public async Task Same_distribution_in_two_environments_is_listed_once()
    {
        var layer = WithPip(WithPip(new LayerBuilder()), "usr/local/lib/python3.11/site-packages").ToTar();

        var image = await Read(ArchiveBuilder.Classic(layer));

        Assert.Equal([new InstalledPackage(PackageManager.Python, "pip", "23.0.1", 6_133_412)], image.Packages);
    }

    [Fact]
    public async Task Python_distribution_named_like_a_build_tool_is_not_one()
    {
        // PyPI's cmake ships a cmake binary; that binary is the evidence, not the distribution's name.
        var layer = new LayerBuilder()
            .File($"{SitePackages}/cmake-3.29.2.dist-info/METADATA", "Name: cmake\nVersion: 3.29.2\n")
            .File($"{SitePackages}/make-0.1.6.dist-info/METADATA", "Name: make\nVersion: 0.1.6\n")
            .ToTar();

        var image = await Read(ArchiveBuilder.Classic(layer));

        Assert.Equal(2, image.Packages.Count);
        Assert.Empty(image.BuildTools);
    }
}
