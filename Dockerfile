# The GitHub Action's image: the pr-image-report CLI on the .NET runtime, plus a docker CLI with the buildx plugin for
# BuildKit builds.
# The base images are build arguments so the image also builds where they are local stand-ins (no registry).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime:10.0
ARG DOCKER_CLI_IMAGE=docker:28-cli

FROM ${SDK_IMAGE} AS build
WORKDIR /src
# The project files alone first, so the restore layer is rebuilt only when a dependency changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/PrImageReport.Core/PrImageReport.Core.csproj src/PrImageReport.Core/
COPY src/PrImageReport.Docker/PrImageReport.Docker.csproj src/PrImageReport.Docker/
COPY src/PrImageReport.Git/PrImageReport.Git.csproj src/PrImageReport.Git/
COPY src/PrImageReport.GitHub/PrImageReport.GitHub.csproj src/PrImageReport.GitHub/
COPY src/PrImageReport.Cli/PrImageReport.Cli.csproj src/PrImageReport.Cli/
RUN dotnet restore src/PrImageReport.Cli/PrImageReport.Cli.csproj
COPY src/ src/
RUN dotnet publish src/PrImageReport.Cli/PrImageReport.Cli.csproj -c Release --no-restore -o /app

# The CLI builds with BuildKit through the docker client (the Engine API's BuildKit mode needs a session it cannot open).
# A current client: Docker 29.0-29.2 refuse clients older than API 1.44, and it negotiates down to older engines.
FROM ${DOCKER_CLI_IMAGE} AS docker-cli

FROM ${RUNTIME_IMAGE}
COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker
COPY --from=docker-cli /usr/local/libexec/docker/cli-plugins/docker-buildx /usr/local/libexec/docker/cli-plugins/docker-buildx
ENV PR_IMAGE_REPORT_DOCKER_CLI=/usr/local/bin/docker
COPY --from=build /app /app
ENTRYPOINT ["dotnet", "/app/pr-image-report.dll", "action"]
