// The container registry azd pushes the API image to; the API's identity pulls with AcrPull (no admin user).
param location string
param tags object
@description('uniqueString(subscription, environment, location) from main.bicep: 13 lower-case letters and digits, the suffix of every resource name.')
@minLength(13)
@maxLength(13)
param token string
param pullPrincipalId string

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'cr${token}'
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: { adminUserEnabled: false }
}

// 7f951dff-4ed5-47c9-8b74-f22ba1b2e1d7 is the built-in AcrPull role.
resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, pullPrincipalId, 'acrpull')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dff-4ed5-47c9-8b74-f22ba1b2e1d7')
    principalId: pullPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output loginServer string = registry.properties.loginServer
