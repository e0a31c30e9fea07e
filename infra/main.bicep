// token-echo on Azure Functions Flex Consumption, for `azd up` (modelled on Microsoft's
// functions-quickstart-typescript-azd): a resource group with the app, its user-assigned identity,
// identity-based storage (deployment package and report history), and Application Insights with
// local authentication disabled.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used to name the resources.')
param environmentName string

@minLength(1)
@description('Region of every resource: one where Flex Consumption is available.')
param location string

@description('TOKEN_ECHO_TENANT_ID: tenant GUID or verified domain whose tokens are validated. Empty: decode only.')
param tokenEchoTenantId string = ''
@description('TOKEN_ECHO_AUDIENCES: the API\'s App ID URI(s) and/or client ID, comma-separated.')
param tokenEchoAudiences string = ''
@description('TOKEN_ECHO_SCOPES: delegated scopes, comma-separated.')
param tokenEchoScopes string = ''
@description('TOKEN_ECHO_ROLES: app roles accepted for app-only tokens, comma-separated.')
param tokenEchoRoles string = ''
@description('TOKEN_ECHO_CLIENT_IDS: calling app IDs allowed, comma-separated (the connector app first).')
param tokenEchoClientIds string = ''
@description('TOKEN_ECHO_AUTHORITY: the authority host (sovereign clouds differ).')
param tokenEchoAuthority string = 'https://login.microsoftonline.com'
@allowed(['true', 'false'])
param tokenEchoStrict string = 'false'

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module app './resources.bicep' = {
  name: 'token-echo'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: token
    appSettings: {
      TOKEN_ECHO_TENANT_ID: tokenEchoTenantId
      TOKEN_ECHO_AUDIENCES: tokenEchoAudiences
      TOKEN_ECHO_SCOPES: tokenEchoScopes
      TOKEN_ECHO_ROLES: tokenEchoRoles
      TOKEN_ECHO_CLIENT_IDS: tokenEchoClientIds
      TOKEN_ECHO_AUTHORITY: tokenEchoAuthority
      TOKEN_ECHO_STRICT: tokenEchoStrict
      TOKEN_ECHO_HISTORY: 'table'
    }
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_FUNCTION_NAME string = app.outputs.functionAppName
output SERVICE_API_NAME string = app.outputs.functionAppName
output SERVICE_API_URI string = app.outputs.functionAppUri
output APPLICATIONINSIGHTS_CONNECTION_STRING string = app.outputs.applicationInsightsConnectionString
