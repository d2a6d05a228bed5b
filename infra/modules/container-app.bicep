// The API on Azure Container Apps with the user-assigned identity. Configuration flows from the other modules'
// outputs into environment variables named after the service's options (Section__Key); a test
// (InfraSettingsTests) checks that every name below is an option the service reads.
param location string
param tags object
@description('uniqueString(subscription, environment, location) from main.bicep: 13 lower-case letters and digits, the suffix of every resource name.')
@minLength(13)
@maxLength(13)
param token string
param identityId string
param identityClientId string
param registryServer string
param logAnalyticsWorkspaceName string
param cosmosEndpoint string
param cosmosDatabase string
param cosmosContainer string
param directoryName string
param azureAdTenantId string
param azureAdClientId string
@secure()
@description('Application Insights connection string (from the monitoring module): the service exports its traces, metrics and logs there.')
param applicationInsightsConnectionString string
@description('The environment\'s infrastructure subnet (from the network module).')
param infrastructureSubnetId string
@description('CIDR the environment\'s ingress connects from: the only source of X-Forwarded-For the service believes.')
param trustedProxyNetwork string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsWorkspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'cae-${token}'
  location: location
  tags: tags
  properties: {
    vnetConfiguration: { infrastructureSubnetId: infrastructureSubnetId, internal: false }
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

resource api 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'ca-api-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: { external: true, targetPort: 8080, transport: 'auto' }
      registries: [ { server: registryServer, identity: identityId } ]
      secrets: [ { name: 'appinsights-connection-string', value: applicationInsightsConnectionString } ]
    }
    template: {
      containers: [
        {
          name: 'api'
          // azd replaces this placeholder with the image it builds from the Dockerfile.
          image: 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: [
            { name: 'Storage__Provider', value: 'Cosmos' }
            { name: 'Storage__SyncIntervalSeconds', value: '2' }
            { name: 'Storage__Cosmos__AccountEndpoint', value: cosmosEndpoint }
            { name: 'Storage__Cosmos__Database', value: cosmosDatabase }
            { name: 'Storage__Cosmos__Containers__Directory', value: cosmosContainer }
            { name: 'Storage__Cosmos__Directory', value: directoryName }
            { name: 'Storage__Cosmos__AuthMode', value: 'ManagedIdentity' }
            { name: 'Storage__Cosmos__ManagedIdentityClientId', value: identityClientId }
            { name: 'Storage__Cosmos__CreateIfMissing', value: 'false' }
            // The tested sync source; 'ChangeFeed' reads the change feed instead (untested against Azure here, see docs/cosmos-design.md).
            { name: 'Storage__Cosmos__SyncSource', value: 'ChangeQuery' }
            { name: 'Demo__SeedWhenEmpty', value: 'false' }
            { name: 'AzureAd__TenantId', value: azureAdTenantId }
            { name: 'AzureAd__ClientId', value: azureAdClientId }
            // The ingress is the only way in: trust its X-Forwarded-For (one hop) so rate limits see real clients.
            { name: 'ForwardedHeaders__Enabled', value: 'true' }
            { name: 'ForwardedHeaders__ForwardLimit', value: '1' }
            { name: 'ForwardedHeaders__KnownNetworks__0', value: trustedProxyNetwork }
            // Read by the Azure Monitor OpenTelemetry exporter (see Infrastructure/Telemetry.cs); kept as a secret of the app.
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', secretRef: 'appinsights-connection-string' }
          ]
          // Readiness answers 503 only while starting, or when this replica's index is past the sync lag bound
          // (3 sync intervals) while the store answers it; a store outage keeps every replica in rotation (searches
          // answer from memory). Three failed probes 5 s apart take a replica out; one success brings it back.
          // The store check inside the probe is cut at 2 s, below the 3 s probe timeout.
          probes: [
            { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 3 }
    }
  }
}

output url string = 'https://${api.properties.configuration.ingress.fqdn}'
