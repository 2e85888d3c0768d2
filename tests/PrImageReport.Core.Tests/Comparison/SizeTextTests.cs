using PrImageReport.Core.Comparison;

namespace PrImageReport.Core.Tests.Comparison;

public class SizeTextTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1_000, "1.0 kB")]
    [InlineData(4_050, "4.1 kB")]
    [InlineData(999_949, "999.9 kB")]
    [InlineData(999_960, "1.0 MB")]
    [InlineData(121_000_000, "121.0 MB")]
    [InlineData(1_500_000_000, "1.5 GB")]
    [InlineData(-291_000_000, "-291.0 MB")]
    public void Sizes_are_decimal(long bytes, string expected)
    {
        Assert.Equal(expected, SizeText.Format(bytes));
    }

    [Theory]
    [InlineData(121_000_000, 412_000_000, "+291.0 MB (+240.5%)")]
    [InlineData(412_000_000, 121_000_000, "-291.0 MB (-70.6%)")]
    [InlineData(1_000_000, 1_000_000, "0 B (0.0%)")]
    [InlineData(100_000_000, 99_999_999, "-1 B (0.0%)")]
    [InlineData(0, 5_000, "+5.0 kB")]
    public void Changes_are_signed_with_a_percentage(long before, long after, string expected)
    {
        Assert.Equal(expected, SizeText.FormatChange(before, after));
    }
}
