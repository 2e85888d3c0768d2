using CommandLine;
using PrImageReport.Cli;
using PrImageReport.Cli.Verbs;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

using var parser = new Parser(settings =>
{
    settings.AllowMultiInstance = true;
    settings.HelpWriter = Console.Error;
    settings.CaseInsensitiveEnumValues = true;
});

var parsed = parser.ParseArguments(args, typeof(CompareVerb), typeof(ActionVerb), typeof(PublishVerb));
return await parsed.MapResult(
    verb => CommandRunner.RunAsync(verb, Console.Out, Console.Error, cancellation.Token),
    errors => Task.FromResult(errors.All(e => e.Tag is ErrorType.HelpRequestedError or ErrorType.HelpVerbRequestedError or ErrorType.VersionRequestedError)
        ? ExitCodes.Success
        : ExitCodes.BadInput)).ConfigureAwait(false);
