using PrImageReport.Docker.Builds;

namespace PrImageReport.Docker.IntegrationTests.Builds;

/// <summary>Each side's own cache: what a --cache-from/--cache-to spec becomes for the base and for the head.</summary>
public class CacheScopesTests
{
    [Theory]
    [InlineData("type=gha", "Dockerfile-base", "type=gha,scope=Dockerfile-base")]
    [InlineData("type=gha,mode=max", "Dockerfile-head", "type=gha,mode=max,scope=Dockerfile-head")]
    [InlineData(" type=gha , mode=max ", "Dockerfile-head", "type=gha,mode=max,scope=Dockerfile-head")]
    [InlineData("type=gha,url=http://cache:1/,token=t", "api-Dockerfile-base", "type=gha,url=http://cache:1/,token=t,scope=api-Dockerfile-base")]
    public void AGhaCacheGetsTheSidesScope(string spec, string scope, string expected) =>
        Assert.Equal(expected, CacheScopes.ForSide(spec, scope));

    [Fact]
    public void AGhaCacheWithItsOwnScopeIsLeftAsGiven() =>
        Assert.Equal("type=gha,scope=main,mode=max", CacheScopes.ForSide("type=gha,scope=main,mode=max", "Dockerfile-head"));

    [Fact]
    public void BaseAndHeadGetDifferentGhaScopes() =>
        Assert.NotEqual(CacheScopes.ForSide("type=gha", "Dockerfile-base"), CacheScopes.ForSide("type=gha", "Dockerfile-head"));

    [Theory]
    [InlineData("type=s3,region=eu-west-1,bucket=b", "type=s3,region=eu-west-1,bucket=b,name=Dockerfile-base")]
    [InlineData("type=azblob,account_url=https://a.blob.core.windows.net", "type=azblob,account_url=https://a.blob.core.windows.net,name=Dockerfile-base")]
    [InlineData("type=s3,bucket=b,name=mine", "type=s3,bucket=b,name=mine")]
    public void S3AndAzblobCachesAreScopedByName(string spec, string expected) =>
        Assert.Equal(expected, CacheScopes.ForSide(spec, "Dockerfile-base"));

    [Theory]
    [InlineData("type=local,dest=/tmp/cache,mode=max", "type=local,dest=/tmp/cache/Dockerfile-head,mode=max")]
    [InlineData("type=local,src=/tmp/cache", "type=local,src=/tmp/cache/Dockerfile-head")]
    public void ALocalCacheGetsASubfolderPerSide(string spec, string expected) =>
        Assert.Equal(expected, CacheScopes.ForSide(spec, "Dockerfile-head"));

    [Theory]
    [InlineData("type=registry,ref=ghcr.io/o/app:buildcache", "type=registry,ref=ghcr.io/o/app:buildcache-Dockerfile-base")]
    [InlineData("type=registry,ref=localhost:5000/app", "type=registry,ref=localhost:5000/app:Dockerfile-base")]
    [InlineData("ghcr.io/o/app:cache", "type=registry,ref=ghcr.io/o/app:cache-Dockerfile-base")]
    [InlineData("type=registry,ref=ghcr.io/o/app@sha256:0123", "type=registry,ref=ghcr.io/o/app@sha256:0123")]
    public void ARegistryCacheGetsATagSuffixUnlessItNamesADigest(string spec, string expected) =>
        Assert.Equal(expected, CacheScopes.ForSide(spec, "Dockerfile-base"));

    [Fact]
    public void AnInlineCacheHasNoScope() =>
        Assert.Equal("type=inline", CacheScopes.ForSide("type=inline", "Dockerfile-base"));

    [Theory]
    [InlineData("Dockerfile", "Dockerfile")]
    [InlineData("services/api/Dockerfile", "services-api-Dockerfile")]
    [InlineData("./Dockerfile.prod", "Dockerfile.prod")]
    [InlineData("/tmp/x y/Dockerfile", "tmp-x-y-Dockerfile")]
    [InlineData("///", "Dockerfile")]
    public void TheKeyIsTheDockerfilePathInCharactersEveryCacheTakes(string dockerfile, string key) =>
        Assert.Equal(key, CacheScopes.Key(dockerfile));
}
