using PrImageReport.Core.Images.History;

namespace PrImageReport.Core.Tests.Images.History;

public class LayerInstructionsTests
{
    // created_by texts as docker 20.10's classic builder and BuildKit wrote them for the test Dockerfiles.
    [Theory]
    [InlineData("", "(base image)")]
    [InlineData("/bin/sh -c #(nop)  CMD [\"python3\" \"app.py\"]", "CMD [\"python3\" \"app.py\"]")]
    [InlineData("/bin/sh -c #(nop)  ENV PYTHONUNBUFFERED=1", "ENV PYTHONUNBUFFERED=1")]
    [InlineData("/bin/sh -c #(nop) WORKDIR /app", "WORKDIR /app")]
    [InlineData("/bin/sh -c #(nop) COPY dir:7ea89c81012e5ac85adb4ebe099f7f060d10915b545a2a8330cec80090ab2301 in . ", "COPY ... .")]
    [InlineData("/bin/sh -c #(nop)  COPY file:abc123 in /app ", "COPY ... /app")]
    [InlineData("/bin/sh -c #(nop) COPY --chown=1000:1000 multi:9f86d081884c7d65 in /srv/app/ ", "COPY --chown=1000:1000 ... /srv/app/")]
    [InlineData("/bin/sh -c #(nop) ADD file:5d4c7f8b2a in / ", "ADD ... /")]
    [InlineData("/bin/sh -c pip install -r requirements.txt", "RUN pip install -r requirements.txt")]
    [InlineData("|1 GREETING=hello /bin/sh -c echo $GREETING > /hi.txt", "RUN echo $GREETING > /hi.txt")]
    [InlineData("|2 A=1 B= /bin/sh -c make", "RUN make")]
    [InlineData("python3 -m venv /venv", "RUN python3 -m venv /venv")]
    [InlineData("RUN /bin/sh -c pip install -r requirements.txt # buildkit", "RUN pip install -r requirements.txt")]
    [InlineData("RUN |1 GREETING=hello /bin/sh -c echo $GREETING > /hi.txt # buildkit", "RUN echo $GREETING > /hi.txt")]
    [InlineData("RUN --mount=type=cache,target=/root/.cache /bin/sh -c pip install . # buildkit", "RUN --mount=type=cache,target=/root/.cache pip install .")]
    [InlineData("RUN /bin/bash -o pipefail -c make # buildkit", "RUN /bin/bash -o pipefail -c make")]
    [InlineData("COPY . . # buildkit", "COPY . .")]
    [InlineData("COPY /venv /venv # buildkit", "COPY /venv /venv")]
    [InlineData("WORKDIR /app", "WORKDIR /app")]
    [InlineData("ARG GREETING=hello", "ARG GREETING=hello")]
    [InlineData("USER nobody", "USER nobody")]
    [InlineData("EXPOSE map[8080/tcp:{}]", "EXPOSE 8080/tcp")]
    [InlineData("EXPOSE map[53/udp:{} 8080/tcp:{}]", "EXPOSE 53/udp 8080/tcp")]
    [InlineData("EXPOSE [8080/tcp]", "EXPOSE 8080/tcp")]
    [InlineData("EXPOSE [8080/tcp 9090/tcp]", "EXPOSE 8080/tcp 9090/tcp")]
    [InlineData("EXPOSE [53/udp 8080/tcp]", "EXPOSE 53/udp 8080/tcp")]
    [InlineData("# debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'", "# debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'")]
    public void RecoversTheInstruction(string createdBy, string instruction) =>
        Assert.Equal(instruction, LayerInstructions.Recover(createdBy));
}
