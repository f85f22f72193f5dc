// test/dynamo-setup.ts
export { dynamoGlobalSetup as default } from 'dynamorm/testing';
