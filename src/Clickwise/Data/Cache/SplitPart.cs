namespace Clickwise.Data.Cache;

public enum SplitPart
{
    Train,
    Valid,
    Test,
}
