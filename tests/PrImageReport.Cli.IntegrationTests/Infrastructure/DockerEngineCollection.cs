namespace PrImageReport.Cli.IntegrationTests.Infrastructure;

/// <summary>
/// The scenarios that build on the real engine run one at a time: on two cores parallel builds only slow each other
/// down, and a scenario that follows another reuses the layers it cached.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DockerEngineCollection
{
    public const string Name = "Docker engine";
}
