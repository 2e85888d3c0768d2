using PrImageReport.Core.Comparison;

namespace PrImageReport.Core.Tests.Comparison;

public class LayerPairingTests
{
    [Fact]
    public void Rows_pair_by_instruction_so_an_inserted_step_does_not_shift_the_others()
    {
        AttributedLayer[] before = [Base("FROM python:3.11-slim", 217), Row("COPY requirements.txt .", 4, 1), Row("RUN pip install -r requirements.txt", 5, 48)];
        AttributedLayer[] after = [Base("FROM python:3.11-slim", 217), Row("RUN apt-get install -y gcc", 4, 80), Row("COPY requirements.txt .", 5, 1), Row("RUN pip install -r requirements.txt", 6, 112)];

        var deltas = LayerPairing.Pair(before, after);

        Assert.Equal(
            [
                ("FROM python:3.11-slim", LayerChangeKind.Unchanged, (long?)217L, (long?)217L, (int?)1, (int?)1),
                ("RUN apt-get install -y gcc", LayerChangeKind.Added, null, 80, null, 4),
                ("COPY requirements.txt .", LayerChangeKind.Unchanged, 1, 1, 4, 5),
                ("RUN pip install -r requirements.txt", LayerChangeKind.Changed, 48, 112, 5, 6),
            ],
            deltas.Select(d => (d.Instruction, d.Kind, d.BaseBytes, d.HeadBytes, d.BaseLine, d.HeadLine)));
        Assert.Equal(64, deltas[3].DeltaBytes);
    }

    [Fact]
    public void Base_image_rows_pair_even_when_the_image_changed()
    {
        var deltas = LayerPairing.Pair([Base("FROM python:3.11-slim", 217)], [Base("FROM python:3.11", 569)]);

        var row = Assert.Single(deltas);
        Assert.Equal(("FROM python:3.11-slim -> FROM python:3.11", LayerOrigin.BaseImage, 352L), (row.Instruction, row.Origin, row.DeltaBytes));
    }

    [Fact]
    public void An_edited_instruction_is_a_changed_row_and_a_different_one_is_new()
    {
        AttributedLayer[] before = [Row("RUN pip install -r requirements.txt", 5, 48), Row("COPY app.py .", 6, 1)];
        AttributedLayer[] after = [Row("RUN pip install --no-cache-dir -r requirements.txt", 5, 40), Row("COPY --from=builder /usr/bin/gcc-12 /usr/bin/gcc", 9, 1)];

        var deltas = LayerPairing.Pair(before, after);

        Assert.Equal(
            [
                ("RUN pip install --no-cache-dir -r requirements.txt", LayerChangeKind.Changed),
                ("COPY --from=builder /usr/bin/gcc-12 /usr/bin/gcc", LayerChangeKind.Added),
                ("COPY app.py .", LayerChangeKind.Removed),
            ],
            deltas.Select(d => (d.Instruction, d.Kind)));
    }

    [Fact]
    public void Repeated_instructions_pair_in_order()
    {
        var deltas = LayerPairing.Pair([Row("RUN make", 2, 1), Row("RUN make", 3, 2)], [Row("RUN make", 2, 1), Row("RUN make", 3, 5)]);

        Assert.Equal([(2, 2, 1L, 1L), (3, 3, 2L, 5L)], deltas.Select(d => (d.BaseLine!.Value, d.HeadLine!.Value, d.BaseBytes!.Value, d.HeadBytes!.Value)));
    }

    [Fact]
    public void Whitespace_differences_do_not_break_a_pair()
    {
        var delta = Assert.Single(LayerPairing.Pair([Row("RUN  make   all", 2, 1)], [Row("RUN make all", 2, 1)]));

        Assert.Equal(LayerChangeKind.Unchanged, delta.Kind);
    }

    private static AttributedLayer Base(string from, long megabytes) => new(from, LayerOrigin.BaseImage, 1, megabytes, [0]);

    private static AttributedLayer Row(string instruction, int line, long megabytes) => new(instruction, LayerOrigin.Dockerfile, line, megabytes, [line]);
}
