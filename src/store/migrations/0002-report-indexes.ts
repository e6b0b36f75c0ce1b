/** Indexes the reports group by: project path and model. */
export const migration0002 = {
  version: 2,
  name: 'report indexes',
  sql: `
CREATE INDEX response_cwd ON response (cwd);
CREATE INDEX response_model ON response (model);
`,
} as const;
