// Referral Directory on Azure: the API on Azure Container Apps, the directory in Azure Cosmos DB (NoSQL API,
// Entra ID only: local/key auth disabled), logs in Log Analytics with Application Insights.
// Deployed with `azd up` (azure.yaml at the repository root). See docs/cosmos-design.md and README "Deploy".
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags derive from it.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Name of the directory (the Cosmos DB partition key value).')
param directoryName string = 'default'

@description('Microsoft Entra ID tenant of the API\'s app registration (admin and caseworker sign-in).')
param azureAdTenantId string = tenant().tenantId

@description('Application (client) id of the API\'s app registration, which defines the app roles Directory.Admin, Directory.Editor and Caseworker.')
param azureAdClientId string

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: { location: location, tags: tags, token: token }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { location: location, tags: tags, token: token }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    location: location
    tags: tags
    token: token
    dataContributorPrincipalId: identity.outputs.principalId
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: { location: location, tags: tags, token: token, pullPrincipalId: identity.outputs.principalId }
}

module network 'modules/network.bicep' = {
  name: 'network'
  scope: rg
  params: { location: location, tags: tags, token: token }
}

module api 'modules/container-app.bicep' = {
  name: 'api'
  scope: rg
  params: {
    location: location
    tags: tags
    token: token
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    registryServer: registry.outputs.loginServer
    logAnalyticsWorkspaceName: monitoring.outputs.logAnalyticsWorkspaceName
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabase: cosmos.outputs.databaseName
    cosmosContainer: cosmos.outputs.containerName
    directoryName: directoryName
    azureAdTenantId: azureAdTenantId
    azureAdClientId: azureAdClientId
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    infrastructureSubnetId: network.outputs.infrastructureSubnetId
    trustedProxyNetwork: network.outputs.infrastructureSubnetPrefix
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output API_URL string = api.outputs.url
