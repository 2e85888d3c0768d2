using System.Globalization;

namespace PrImageReport.Core.Comparison;

/// <summary>Human-readable sizes in decimal units (1 kB = 1,000 bytes, 1 MB = 1,000,000 bytes), as Docker prints them.</summary>
public static class SizeText
{
    public const string UnitsNote = "Sizes in decimal units: 1 MB = 1,000,000 bytes.";

    private static readonly string[] Units = ["kB", "MB", "GB", "TB"];

    public static string Format(long bytes)
    {
        var sign = bytes < 0 ? "-" : "";
        var magnitude = Math.Abs((decimal)bytes);
        if (magnitude < 1_000)
        {
            return sign + magnitude.ToString("0", CultureInfo.InvariantCulture) + " B";
        }

        // Round before choosing the unit so 999,960 bytes reads "1.0 MB", not "1000.0 kB".
        var unit = 0;
        var scaled = Math.Round(magnitude / 1_000, 1, MidpointRounding.AwayFromZero);
        while (scaled >= 1_000 && unit < Units.Length - 1)
        {
            unit++;
            scaled = Math.Round(magnitude / Pow1000(unit + 1), 1, MidpointRounding.AwayFromZero);
        }

        return sign + scaled.ToString("0.0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>A size change with its sign: "+291.0 MB", "-4.2 kB", "0 B".</summary>
    public static string FormatDelta(long bytes) => bytes > 0 ? "+" + Format(bytes) : Format(bytes);

    /// <summary>The change relative to <paramref name="before"/>, signed ("+240.5%"), or null when there is nothing to relate to.</summary>
    public static string? FormatPercentDelta(long before, long after)
    {
        if (before <= 0)
        {
            return null;
        }

        var percent = Math.Round((decimal)(after - before) * 100 / before, 1, MidpointRounding.AwayFromZero);
        var text = Math.Abs(percent).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        return percent switch
        {
            > 0 => "+" + text,
            < 0 => "-" + text,
            _ => text,
        };
    }

    /// <summary>"+291.0 MB (+240.5%)", or just the size change when no percentage applies.</summary>
    public static string FormatChange(long before, long after)
    {
        var delta = FormatDelta(after - before);
        return FormatPercentDelta(before, after) is { } percent ? $"{delta} ({percent})" : delta;
    }

    private static decimal Pow1000(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 1_000;
        }

        return result;
    }
}
