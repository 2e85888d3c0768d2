using PrImageReport.Core.Images;

namespace PrImageReport.Core.Comparison;

/// <summary>Packages added, removed and changed in version between two images, per package manager.</summary>
public static class PackageDiff
{
    /// <summary>The changes, largest installed-size change first, then by manager and name.</summary>
    public static IReadOnlyList<PackageChange> Compare(IReadOnlyList<InstalledPackage> basePackages, IReadOnlyList<InstalledPackage> headPackages)
    {
        ArgumentNullException.ThrowIfNull(basePackages);
        ArgumentNullException.ThrowIfNull(headPackages);
        var before = Index(basePackages);
        var after = Index(headPackages);
        var changes = new List<PackageChange>();
        foreach (var (key, head) in after)
        {
            if (!before.TryGetValue(key, out var base_))
            {
                changes.Add(new PackageChange(head.Manager, head.Name, null, head.Version, null, head.InstalledSizeBytes));
            }
            else if (base_.Version != head.Version)
            {
                changes.Add(new PackageChange(head.Manager, head.Name, base_.Version, head.Version, base_.InstalledSizeBytes, head.InstalledSizeBytes));
            }
        }

        changes.AddRange(before
            .Where(p => !after.ContainsKey(p.Key))
            .Select(p => new PackageChange(p.Value.Manager, p.Value.Name, p.Value.Version, null, p.Value.InstalledSizeBytes, null)));
        return
        [
            .. changes
                .OrderByDescending(c => Math.Abs(c.DeltaBytes))
                .ThenBy(c => c.Manager)
                .ThenBy(c => c.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>Python names compare as PEP 503 normalizes them (Flask, flask, and FLASK are one project); dpkg and apk names are exact.</summary>
    private static Dictionary<(PackageManager, string), InstalledPackage> Index(IReadOnlyList<InstalledPackage> packages)
    {
        var index = new Dictionary<(PackageManager, string), InstalledPackage>();
        foreach (var package in packages)
        {
            var name = package.Manager == PackageManager.Python ? PackageDatabases.NormalizePythonName(package.Name) : package.Name;
            index.TryAdd((package.Manager, name), package);
        }

        return index;
    }
}
