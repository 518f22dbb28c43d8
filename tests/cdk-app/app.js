// A CDK app whose synthesised templates the rotation-policy tests lint and
// check: a secret rotated by a custom Lambda function, and a secret with a
// hosted rotation. `node app.js [OUTDIR]` writes OUTDIR/*.template.json
// (default cdk.out) without the cdk CLI or an AWS account: the stacks are
// environment-agnostic (no `env`), so nothing is looked up.
'use strict';

const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const kms = require('aws-cdk-lib/aws-kms');
const lambda = require('aws-cdk-lib/aws-lambda');
const secretsmanager = require('aws-cdk-lib/aws-secretsmanager');

const outdir = path.resolve(process.argv[2] || path.join(__dirname, 'cdk.out'));
const app = new App({ outdir });

// A secret encrypted with its own key, rotated by a function of this stack.
const custom = new Stack(app, 'CustomRotationStack');
const key = new kms.Key(custom, 'SecretKey');
const secret = new secretsmanager.Secret(custom, 'AppSecret', { encryptionKey: key });
const rotationFunction = new lambda.Function(custom, 'RotationFunction', {
  runtime: lambda.Runtime.PYTHON_3_12,
  handler: 'index.handler',
  // The rotation code itself is not what is checked: its permissions are.
  code: lambda.Code.fromInline('def handler(event, context):\n    pass\n'),
});
secret.addRotationSchedule('Rotation', { rotationLambda: rotationFunction });

// A secret rotated by the function Secrets Manager's transform deploys.
const hosted = new Stack(app, 'HostedRotationStack');
const database = new secretsmanager.Secret(hosted, 'DatabaseSecret');
database.addRotationSchedule('Rotation', {
  hostedRotation: secretsmanager.HostedRotation.mysqlSingleUser(),
});

app.synth();
