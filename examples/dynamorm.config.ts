// The config of the `dynamorm` command line for the examples' models: with DynamoDB Local running
// (`npx dynamorm local --port 8000`), `cd examples && npx dynamorm studio` opens the Studio on them.
import { defineConfig } from 'dynamorm-cli';
import { User } from './models.js';

export default defineConfig({
  models: [User],
  orm: { endpoint: process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000', autoMigrate: true },
});
