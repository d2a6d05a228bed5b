// Log Analytics (Container Apps console and system logs) and a workspace-based Application Insights.
param location string
param tags object
@description('uniqueString(subscription, environment, location) from main.bicep: 13 lower-case letters and digits, the suffix of every resource name.')
@minLength(13)
@maxLength(13)
param token string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

output logAnalyticsWorkspaceName string = workspace.name
output applicationInsightsConnectionString string = appInsights.properties.ConnectionString
