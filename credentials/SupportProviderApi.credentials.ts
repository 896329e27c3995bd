import type {
	IAuthenticate,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { authHeaders, providerAuth } from '../vendor-boundary/auth';

export class SupportProviderApi implements ICredentialType {
	name = 'supportProviderApi';

	displayName = 'Support Provider API';

	icon: Icon = { light: 'file:../nodes/ProviderHandoff/providerHandoff.svg', dark: 'file:../nodes/ProviderHandoff/providerHandoff.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-support-delegation/n8n-nodes-support-delegation#provider-handoff';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.vendor.example/v1',
			required: true,
			description: 'Root of the vendor API; the node appends its path (e.g. /tickets)',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'API Key (Header)', value: 'apiKey' },
				{ name: 'Bearer Token', value: 'bearer' },
				{ name: 'Basic Auth', value: 'basic' },
				{ name: 'None', value: 'none' },
			],
			default: 'apiKey',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-API-Key',
			displayOptions: { show: { authentication: ['apiKey'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['apiKey'] } },
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['bearer'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			displayOptions: { show: { authentication: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['basic'] } },
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional for Provider Handoff: when set, every hand-off carries X-Handoff-Timestamp and X-Handoff-Signature (sha256=HMAC-SHA256 of "timestamp.body") so the vendor can verify it came from you. Required for Vendor Callback: the vendor signs its callbacks with it.',
		},
		{
			displayName: 'Test Path',
			name: 'testPath',
			type: 'string',
			default: '/health',
			description: 'Path the credential test requests with GET; any 2xx answer means the URL and authentication work',
		},
	];

	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => ({
		...requestOptions,
		headers: { ...requestOptions.headers, ...authHeaders(providerAuth(credentials)) },
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '={{$credentials.testPath || "/health"}}',
			method: 'GET',
		},
	};
}
