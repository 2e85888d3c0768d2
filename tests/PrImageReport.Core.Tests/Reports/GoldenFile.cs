using System.Runtime.CompilerServices;

namespace PrImageReport.Core.Tests.Reports;

/// <summary>
/// Compares output with a file under Reports/Golden. With UPDATE_GOLDEN=1 the file is rewritten instead
/// (and the test still checks the rest of what it asserts).
/// </summary>
internal static class GoldenFile
{
    public static void AssertMatches(string fileName, string actual, [CallerFilePath] string callerPath = "")
    {
        // The sources' folder, not the output folder: an update must land in the repository.
        var path = Path.Combine(Path.GetDirectoryName(callerPath)!, "Golden", fileName);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing; run the tests with UPDATE_GOLDEN=1 to create it.");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Equal(expected, actual);
    }
}
