// The examples' ESLint config, which `npm start` (lambda-iam-lint in this directory) reads: the
// recommended config, and the account each cross-account template deploys to (a template never says).
import lambdaIam from "eslint-plugin-lambda-iam";

export default [
  ...lambdaIam.configs.recommended,
  {
    settings: {
      "lambda-iam": {
        accounts: {
          "cross-account/broken/app/template.yaml": "111111111111",
          "cross-account/broken/data/template.yaml": "222222222222",
          "cross-account/fixed/app/template.yaml": "444444444444",
          "cross-account/fixed/data/template.yaml": "555555555555",
        },
      },
    },
  },
];
