namespace PrImageReport.Core.Images.History;

/// <summary>Which builder wrote an image's history, told from how its created_by texts are spelled.</summary>
internal static class BuilderStyle
{
    public const string BuildKit = "BuildKit";
    public const string Classic = "classic";

    /// <summary>
    /// The builder of the newest step that tells: BuildKit marks RUN, COPY and ADD with "# buildkit" and writes
    /// metadata steps as the bare instruction; the classic builder writes "/bin/sh -c #(nop) …" for metadata and COPY,
    /// and the shell command ("/bin/sh -c …", "|1 A=1 /bin/sh -c …") for RUN. Null when no step tells, e.g. an image
    /// with no history, or a Dockerfile of FROM alone whose steps are all the base image's.
    /// </summary>
    public static string? Detect(IReadOnlyList<HistoryEntry> history)
    {
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var text = history[i].CreatedBy.Trim();
            if (text.EndsWith("# buildkit", StringComparison.Ordinal))
            {
                return BuildKit;
            }

            if (text.StartsWith("/bin/sh -c ", StringComparison.Ordinal) || (text.StartsWith('|') && text.Contains(" /bin/sh -c ", StringComparison.Ordinal)))
            {
                return Classic;
            }

            if (text.Split(' ', 2)[0] is "ENV" or "LABEL" or "EXPOSE" or "CMD" or "ENTRYPOINT" or "WORKDIR" or "USER" or "ARG" or "VOLUME" or "STOPSIGNAL" or "HEALTHCHECK" or "SHELL" or "ONBUILD" or "MAINTAINER")
            {
                return BuildKit;
            }
        }

        return null;
    }
}
