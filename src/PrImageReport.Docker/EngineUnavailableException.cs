namespace PrImageReport.Docker;

/// <summary>No Docker engine (or no docker CLI able to drive BuildKit) is reachable; the message says what was tried and what to do.</summary>
public sealed class EngineUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
