namespace PrImageReport.Cli.IntegrationTests.Infrastructure;

/// <summary>The checkout these tests run from, found by walking up to PrImageReport.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The absolute path of a '/'-separated path inside the repository.</summary>
    public static string Combine(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "PrImageReport.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no PrImageReport.sln above {AppContext.BaseDirectory}; run the tests from a checkout of the repository");
    }
}
