import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { DefaultRouteSpec, RouteSpec } from '../../functions/catalog.ts';
import { acknowledge } from '../nag.ts';
import type { IdentitySettings } from './identity.ts';
import { retentionDays } from './retention.ts';

/** Request headers the portal sends to the API. */
export const API_CORS_HEADERS = ['authorization', 'content-type', 'idempotency-key'];

/** Fields of one access-log line (HTTP API context variables; no request bodies, no tokens). */
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
};

/** Props of {@link HttpApi}. */
export interface HttpApiProps {
  readonly stage: string;
  readonly portalOrigin: string;
  readonly identity: IdentitySettings;
  readonly routes: readonly RouteSpec[];
  /** The `$default` route: answers every request no route matches (unknown routes in the API's error shape). */
  readonly defaultRoute?: DefaultRouteSpec;
  /** Built functions by catalogue name; a route to a function that was not built is skipped with a warning. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly logRetentionDays: number;
}

/**
 * The HTTP API: one JWT authorizer trusting the configured issuer (Cognito or
 * any OIDC provider), one route per catalogue entry, CORS for the portal
 * only, access logs and throttling on the `$default` stage.
 */
export class HttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly authorizer: HttpJwtAuthorizer;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: `exam-site-${props.stage}`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.portalOrigin],
        allowMethods: [
          apigwv2.CorsHttpMethod.GET,
          apigwv2.CorsHttpMethod.POST,
          apigwv2.CorsHttpMethod.PUT,
          apigwv2.CorsHttpMethod.PATCH,
          apigwv2.CorsHttpMethod.DELETE,
        ],
        allowHeaders: API_CORS_HEADERS,
        // The portal names a downloaded export after the answer's file name; the CSV results page with x-next-cursor.
        exposeHeaders: ['content-disposition', 'x-next-cursor'],
        maxAge: Duration.hours(1),
      },
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: retentionDays(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('Jwt', props.identity.issuer, {
      jwtAudience: props.identity.audience,
      identitySource: ['$request.header.Authorization'],
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of props.routes) {
      const fn = props.functions.get(route.fn);
      if (!fn) {
        Annotations.of(this).addWarningV2(
          `exam-site:route-without-function:${route.method} ${route.path}`,
          `Route ${route.method} ${route.path} is skipped: function "${route.fn}" has no handler file yet.`,
        );
        continue;
      }
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.fn}-integration`, fn);
        integrations.set(route.fn, integration);
      }
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration,
        authorizer: route.auth === 'jwt' ? this.authorizer : new apigwv2.HttpNoneAuthorizer(),
      });
      if (route.auth === 'none' && created) {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          `${route.method} ${route.path} is public by design (catalogue auth "none", e.g. the OpenAPI document); it serves no personal data.`,
        );
      }
    }

    if (props.defaultRoute) {
      const fn = props.functions.get(props.defaultRoute.fn);
      if (!fn) {
        Annotations.of(this).addWarningV2(
          'exam-site:default-route-without-function',
          `The $default route is skipped: function "${props.defaultRoute.fn}" has no handler file; unknown routes get API Gateway's own 404.`,
        );
      } else {
        const fallback = new apigwv2.HttpRoute(this, 'DefaultRoute', {
          httpApi: this.api,
          routeKey: apigwv2.HttpRouteKey.DEFAULT,
          integration: integrations.get(props.defaultRoute.fn) ?? new HttpLambdaIntegration(`${props.defaultRoute.fn}-integration`, fn),
          authorizer: new apigwv2.HttpNoneAuthorizer(),
        });
        acknowledge(
          fallback,
          'AwsSolutions-APIG4',
          'The $default route answers only requests no route matches, with 404 ROUTE_NOT_FOUND in the API error shape; it reads no data, so it needs no sign-in (a signed-out caller gets the same 404).',
        );
      }
    }
  }

  /** The API's base URL. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
