// The virtual network the Container Apps environment runs in. Its infrastructure subnet is where the environment's
// ingress (Envoy) connects to the app from, so it is the one network whose X-Forwarded-For the service believes
// (ForwardedHeaders:KnownNetworks): a client spoofing the header from anywhere else gains no rate-limit quota.
param location string
param tags object
@description('uniqueString(subscription, environment, location) from main.bicep: 13 lower-case letters and digits, the suffix of every resource name.')
@minLength(13)
@maxLength(13)
param token string

@description('Address space of the network.')
param addressPrefix string = '10.40.0.0/16'

@description('The Container Apps environment\'s infrastructure subnet (a /23 or larger for a consumption environment).')
param infrastructureSubnetPrefix string = '10.40.0.0/23'

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-${token}'
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [ addressPrefix ] }
    subnets: [
      {
        name: 'container-apps'
        properties: { addressPrefix: infrastructureSubnetPrefix }
      }
    ]
  }
}

output infrastructureSubnetId string = vnet.properties.subnets[0].id
output infrastructureSubnetPrefix string = infrastructureSubnetPrefix
