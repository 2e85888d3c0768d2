namespace PrImageReport.Core.Tests.Images;

/// <summary>Package database files kept under Images/TestData; TestData/README.md says how each was made.</summary>
internal static class TestDataFiles
{
    public const string DebianBookwormSlimStatus = "debian-bookworm-slim-status";
    public const string ApkInstalled = "apk-installed";
    public const string DistrolessLibzstd = "distroless-status.d-libzstd1";
    public const string DistrolessLibzstdMd5sums = "distroless-status.d-libzstd1.md5sums";
    public const string PipMetadata = "pip-23.0.1-METADATA";
    public const string PipRecord = "pip-23.0.1-RECORD";

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));

    public static string Text(string name) => File.ReadAllText(Path(name));

    private static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Images", "TestData", name);
}
