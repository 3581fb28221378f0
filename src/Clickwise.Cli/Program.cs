namespace Clickwise.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("clickwise: no verbs yet");
        return args.Length == 0 ? 0 : 2;
    }
}
