// Azure Cosmos DB for NoSQL: serverless, Entra ID only (disableLocalAuth), one database and one container
// partitioned by /pk (the directory's name; see docs/cosmos-design.md). The indexing policy matches
// CosmosDirectoryStore.IndexingPolicy(): queried fields only, spatial indexes on locations and service areas.
// The API's identity gets the built-in "Cosmos DB Built-in Data Contributor" data-plane role; with data-plane
// roles only, the service cannot create databases or containers, so they are created here
// (Storage__Cosmos__CreateIfMissing=false).
param location string
param tags object
@description('uniqueString(subscription, environment, location) from main.bicep: 13 lower-case letters and digits, the suffix of every resource name.')
@minLength(13)
@maxLength(13)
param token string
param dataContributorPrincipalId string
param databaseName string = 'referral-directory'
param containerName string = 'directory'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: 'cosmos-${token}'
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [ { locationName: location, failoverPriority: 0, isZoneRedundant: false } ]
    capabilities: [ { name: 'EnableServerless' } ]
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: { resource: { id: databaseName } }
}

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: containerName
  properties: {
    resource: {
      id: containerName
      partitionKey: { paths: [ '/pk' ], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [ { path: '/*' } ]
        excludedPaths: [
          { path: '/listing/*' }
          { path: '/intent/*' }
          { path: '/entry/*' }
          { path: '/key/*' }
          { path: '/"_etag"/?' }
        ]
        spatialIndexes: [
          { path: '/geo/locations/*', types: [ 'Point' ] }
          { path: '/geo/serviceAreas/*', types: [ 'Polygon', 'MultiPolygon' ] }
        ]
      }
    }
  }
}

// 00000000-0000-0000-0000-000000000002 is the built-in "Cosmos DB Built-in Data Contributor" role.
resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, dataContributorPrincipalId, 'data-contributor')
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'
    principalId: dataContributorPrincipalId
    scope: account.id
  }
}

output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerName string = container.name
