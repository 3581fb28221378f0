using Clickwise.Models;

namespace Clickwise.Tests;

internal static class PreparedModels
{
    /// <summary>The model with its training state planned for <paramref name="maxBatchSize"/> rows, for tests that build and run in one line.</summary>
    public static CtrModel Prepared(this CtrModel model, int maxBatchSize)
    {
        model.PrepareTraining(maxBatchSize);
        return model;
    }
}
