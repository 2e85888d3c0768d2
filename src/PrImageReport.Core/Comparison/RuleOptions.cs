namespace PrImageReport.Core.Comparison;

/// <summary>Every threshold the rules use, with its default. Sizes are in bytes; 1 MB = 1,000,000 bytes.</summary>
public sealed record RuleOptions
{
    public static RuleOptions Default { get; } = new();

    /// <summary>image-size-increase is an error when the head grew by more than this percentage of the base size...</summary>
    public double SizeIncreaseErrorPercent { get; init; } = 20;

    /// <summary>...or by more than this many bytes.</summary>
    public long SizeIncreaseErrorBytes { get; init; } = 50_000_000;

    /// <summary>image-size-increase is a warning when the head grew by more than this percentage.</summary>
    public double SizeIncreaseWarningPercent { get; init; } = 5;

    /// <summary>image-size-decrease is reported when the head shrank by more than this percentage.</summary>
    public double SizeDecreaseNoticePercent { get; init; } = 5;

    /// <summary>layer-count-increase is a notice for any added layer and a warning when more than this many were added.</summary>
    public int LayerIncreaseWarningCount { get; init; } = 5;

    /// <summary>wasted-space is a warning when the head wastes more than this many bytes more than the base...</summary>
    public long WastedIncreaseWarningBytes { get; init; } = 10_000_000;

    /// <summary>...and the increase is more than this percentage of the head image's size.</summary>
    public double WastedIncreaseWarningPercent { get; init; } = 2;

    /// <summary>Throws when a threshold makes no sense, naming the option.</summary>
    public void Validate()
    {
        Require(SizeIncreaseErrorPercent >= 0, nameof(SizeIncreaseErrorPercent));
        Require(SizeIncreaseErrorBytes >= 0, nameof(SizeIncreaseErrorBytes));
        Require(SizeIncreaseWarningPercent >= 0, nameof(SizeIncreaseWarningPercent));
        Require(SizeDecreaseNoticePercent >= 0, nameof(SizeDecreaseNoticePercent));
        Require(LayerIncreaseWarningCount >= 0, nameof(LayerIncreaseWarningCount));
        Require(WastedIncreaseWarningBytes >= 0, nameof(WastedIncreaseWarningBytes));
        Require(WastedIncreaseWarningPercent >= 0, nameof(WastedIncreaseWarningPercent));
    }

    private static void Require(bool ok, string option)
    {
        if (!ok)
        {
            throw new ArgumentException($"Rule option {option} must not be negative; use 0 or a positive value.", option);
        }
    }
}
