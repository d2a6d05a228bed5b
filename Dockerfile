# The Referral Directory API. Multi-stage: build with the SDK, run on the ASP.NET Core runtime as a non-root user.
# Build from the repository root: docker build -t referral-directory .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY services/ReferralDirectory.Core/ReferralDirectory.Core.csproj services/ReferralDirectory.Core/
COPY services/ReferralDirectory.Storage.Cosmos/ReferralDirectory.Storage.Cosmos.csproj services/ReferralDirectory.Storage.Cosmos/
COPY services/ReferralDirectory.Api/ReferralDirectory.Api.csproj services/ReferralDirectory.Api/
RUN dotnet restore services/ReferralDirectory.Api/ReferralDirectory.Api.csproj
COPY services/ services/
RUN dotnet publish services/ReferralDirectory.Api/ReferralDirectory.Api.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# The embedded SQLite store (the default provider) needs a writable folder; in Azure the provider is Cosmos.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
# APP_UID (1654) is the non-root "app" user the .NET images define.
USER $APP_UID
ENTRYPOINT ["dotnet", "ReferralDirectory.Api.dll"]
