// The API's user-assigned managed identity: Cosmos DB data-plane access and image pulls, no secrets anywhere.
param location string
param tags object
@description('uniqueString(subscription, environment, location) from main.bicep: 13 lower-case letters and digits, the suffix of every resource name.')
@minLength(13)
@maxLength(13)
param token string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-api-${token}'
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
