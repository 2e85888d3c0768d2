using PrImageReport.Docker.Builds;
using PrImageReport.Testing;

namespace PrImageReport.Docker.IntegrationTests.Builds;

/// <summary>Secrets' values masked in build output, read from their variable or file as the build reads them.</summary>
public sealed class SecretRedactorTests : IDisposable
{
    private readonly string variable = $"PR_IMAGE_REPORT_TEST_SECRET_{Guid.NewGuid():N}";
    private readonly TempDirectory scratch = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(variable, null);
        scratch.Dispose();
    }

    [Fact]
    public void MasksAVariablesValueWhereverItIsInALine()
    {
        Environment.SetEnvironmentVariable(variable, "tok-3f9a1c");
        var redactor = SecretRedactor.For([new BuildSecret("tok", variable, null)]);

        Assert.Equal("#6 0.177 ***", redactor.Redact("#6 0.177 tok-3f9a1c"));
        Assert.Equal("x***y ***#7 DONE", redactor.Redact("xtok-3f9a1cy tok-3f9a1c#7 DONE"));
        Assert.Equal("#6 0.177 nothing secret", redactor.Redact("#6 0.177 nothing secret"));
    }

    [Fact]
    public void MasksAFilesValueLineByLineWithoutItsTrailingNewline()
    {
        var file = scratch.Combine("netrc");
        File.WriteAllText(file, "machine example.com\nlogin ci-user\npassword pa55-w0rd-77\n");
        var redactor = SecretRedactor.For([new BuildSecret("netrc", null, file)]);

        Assert.Equal("#8 0.3 ***", redactor.Redact("#8 0.3 password pa55-w0rd-77"));
        Assert.Equal("#8 0.3 *** ***", redactor.Redact("#8 0.3 machine example.com login ci-user"));
    }

    [Fact]
    public void MasksALongerValueWholeWhenAShorterOneIsPartOfIt()
    {
        Environment.SetEnvironmentVariable(variable, "abc-long-secret");
        var file = scratch.Combine("short");
        File.WriteAllText(file, "long");
        var redactor = SecretRedactor.For([new BuildSecret("short", null, file), new BuildSecret("long", variable, null)]);

        Assert.Equal("*** and ***", redactor.Redact("abc-long-secret and long"));
    }

    [Fact]
    public void AMultiLineValuesShortLinesAreNotMaskedOnTheirOwn()
    {
        var file = scratch.Combine("auth.json");
        File.WriteAllText(file, "{\n  \"token\": \"s3cr3t-value-91\"\n}\n");
        var redactor = SecretRedactor.For([new BuildSecret("auth", null, file)]);

        Assert.Equal("#9 0.2 ***", redactor.Redact("#9 0.2 \"token\": \"s3cr3t-value-91\""));
        Assert.Equal("#9 0.2 {}", redactor.Redact("#9 0.2 {}"));
    }

    [Fact]
    public void ASecretThatIsNotThereMasksNothing()
    {
        var redactor = SecretRedactor.For([new BuildSecret("gone", variable, null), new BuildSecret("gone", null, scratch.Combine("missing"))]);

        Assert.Equal("#6 0.1 hello", redactor.Redact("#6 0.1 hello"));
    }
}
