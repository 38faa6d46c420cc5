/**
 * Mail (SES) for one city. SES lives in `aws.sesRegion` (default: the stack's region).
 * - Same region: the stack creates the domain identity of `email.from` (Easy DKIM) and a
 *   configuration set that is the identity's default.
 * - Another region: both are created out of band (docs/operations.md); the stack only grants.
 * - Another partition (a cn-* stack with SES in a global region): an IAM role of the China account
 *   cannot send there at all. The stack keeps a secret for the access keys of an SES-only IAM user
 *   of a global-region account (filled in by ops after the first deploy, docs/operations.md "China
 *   regions"); only the mailer may read it, and reads it at cold start (shared/adapters/secrets.ts):
 *   its environment names the secret, never the keys.
 * The mailer may call ses:SendEmail and ses:SendRawEmail on that identity and set, nothing else.
 *
 * Bounces and complaints (退信、投诉): in the same region the configuration set publishes them to the
 * `notifications` topic, which the bounces function reads into the suppression list. Elsewhere SES
 * is not the stack's to configure: docs/operations.md says how to connect it (or use SES's own
 * account-level suppression list), and the synth prints a warning.
 */
import { Annotations, CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { env } from '#shared/wiring.ts';
import { sesKeysPlaceholder } from '#adapters/secrets.ts';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface MailProps {
  /** `Name <addr@host>` or `addr@host` (validated by the city config schema). */
  from: string;
  cityId: string;
  sesRegion: string;
}

export function senderDomain(from: string): string {
  const address = /<\s*([^<>\s]+)\s*>/.exec(from)?.[1] ?? from.trim();
  const domain = address.split('@')[1];
  if (!domain) throw new Error(`email.from has no domain: "${from}"`);
  return domain.toLowerCase();
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export class Mail extends Construct {
  readonly domain: string;
  readonly configurationSetName: string;
  /** ARNs the mailer may send with; empty when SES is in another partition. */
  readonly sendResources: string[];
  /** Environment the mailer needs beyond the common one (the secret of the cross-partition SES keys, by ARN). */
  readonly senderEnvironment: Record<string, string> = {};
  /** The cross-partition SES keys (another partition only): the senders may read them. */
  readonly keys?: Secret;
  /** SES bounce and complaint notifications of the configuration set (same region only). */
  readonly notifications?: Topic;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.domain = senderDomain(props.from);
    this.configurationSetName = `proposals-${props.cityId}`;
    const region = stack.region;

    if (props.sesRegion === region) {
      const configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
        configurationSetName: this.configurationSetName,
        reputationMetrics: true,
      });
      const identity = new EmailIdentity(this, 'Identity', { identity: Identity.domain(this.domain), configurationSet });
      const notifications = new Topic(this, 'Notifications', {
        displayName: `SES bounces and complaints (${props.cityId})`,
        enforceSSL: true,
      });
      // SES cannot publish to a topic under the AWS managed SNS key, and a customer managed key bills
      // every month, idle or not; the messages hold only addresses the (encrypted) table keeps anyway.
      Validations.of(notifications).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'SES publishes here: not with the AWS managed key; a customer managed key would bill when idle. Messages carry only recipient addresses.',
      });
      configurationSet.addEventDestination('BouncesAndComplaints', {
        destination: EventDestination.snsTopic(notifications),
        events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
      });
      this.notifications = notifications;
      // Outputs keep the names docs/operations.md gives them (not prefixed with the construct path).
      identity.dkimRecords.forEach((r, i) =>
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          value: `${r.name} CNAME ${r.value}`,
          description: 'Add to DNS to verify the sender domain',
        }).overrideLogicalId(`DkimRecord${i + 1}`),
      );
      this.sendResources = [
        identity.emailIdentityArn,
        stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSetName }),
      ];
    } else if (partitionOf(props.sesRegion) === partitionOf(region)) {
      const arn = (resource: string, name: string) =>
        stack.formatArn({ service: 'ses', region: props.sesRegion, resource, resourceName: name });
      this.sendResources = [arn('identity', this.domain), arn('configuration-set', this.configurationSetName)];
    } else {
      this.sendResources = [];
      const keys = new Secret(this, 'SesCredentials', {
        secretName: `proposals-${props.cityId}/ses-credentials`,
        description: `Access keys of an SES-only IAM user in ${props.sesRegion} (another AWS partition); replace the placeholder: the mailer reads it within 5 minutes`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ accessKeyId: sesKeysPlaceholder }),
          generateStringKey: 'secretAccessKey',
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(keys).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'Keys of an IAM user in another partition: rotated there by ops (docs/operations.md), not by a Lambda here.',
      });
      this.keys = keys;
      this.senderEnvironment = { [env.sesCredentialsSecretArn]: keys.secretArn };
      new CfnOutput(this, 'SesCredentialsSecretArn', {
        value: keys.secretArn,
        description: 'Put the SES-only user keys here (the mailer reads them within 5 minutes)',
      }).overrideLogicalId('SesCredentialsSecretArn');
      Annotations.of(this).addWarningV2(
        'proposals:ses-cross-partition',
        `SES region ${props.sesRegion} is in another AWS partition than ${region}: the mailer sends with the keys in the secret ${keys.node.path}; fill it in after the first deploy (docs/operations.md, China regions).`,
      );
    }
  }

  grantSend(grantee: IGrantable): void {
    this.keys?.grantRead(grantee, ['AWSCURRENT']);
    if (this.sendResources.length === 0) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: this.sendResources }),
    );
  }
}
