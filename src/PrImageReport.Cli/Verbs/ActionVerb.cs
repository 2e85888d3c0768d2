using CommandLine;

namespace PrImageReport.Cli.Verbs;

[Verb("action", HelpText = "Run as the GitHub Action: read the job's GITHUB_* and INPUT_* variables, compare, comment, set the status.")]
public sealed class ActionVerb;
