using System.Reflection;
using PrImageReport.Testing;

namespace PrImageReport.Cli.IntegrationTests.Infrastructure;

/// <summary>Runs the built pr-image-report as a real process: <c>dotnet pr-image-report.dll ...</c>.</summary>
internal static class CliTool
{
    /// <summary>Set by the project file to the CLI project's own build output, in the configuration the tests were built in.</summary>
    private const string PathMetadata = "PrImageReportCli";

    private static readonly Lazy<string> Dll = new(Locate);

    /// <param name="environment">Variables to set for the process; a null value removes the variable.</param>
    public static Task<ProcessResult> RunAsync(
        IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // Plain progress lines, whatever the developer's terminal settings.
            ["NO_COLOR"] = "1",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        return ProcessRunner.RunAsync(DotnetHost(), [Dll.Value, .. arguments], workingDirectory, variables);
    }

    private static string Locate()
    {
        var path = typeof(CliTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == PathMetadata)?.Value;
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidOperationException(
                $"the test assembly does not say where pr-image-report.dll is (AssemblyMetadata {PathMetadata}); build it with its project file, which sets it");
        }

        return File.Exists(path) && File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json"))
            ? path
            : throw new InvalidOperationException($"{path} or its runtimeconfig.json is missing; build src/PrImageReport.Cli (dotnet build of this test project does)");
    }

    /// <summary>The dotnet host that runs these tests (the SDK names it in DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
