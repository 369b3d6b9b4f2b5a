// Allure 3 (npm package `allure`): `npx allure generate reports/allure-results` renders the
// results `./run audit` writes into one offline HTML file (the awesome plugin's single file).
import { defineConfig } from "allure";

export default defineConfig({
  name: "dovecheck",
  output: "./reports/allure-report",
  plugins: {
    awesome: {
      options: { reportName: "dovecheck", singleFile: true, reportLanguage: "en" },
    },
  },
});
