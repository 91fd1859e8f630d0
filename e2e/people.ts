/** Users for the e2e specs: made with `npm run user` against the e2e database, and signed in through the login form. */
import { execFileSync } from "node:child_process";
import { expect, type Page } from "@playwright/test";

export function createUser(name: string, role: "viewer" | "operator", password: string): void {
  execFileSync("npx", ["tsx", "scripts/user.ts", "create", name, "--role", role], {
    env: { ...process.env, DATABASE_URL: `file:${process.env.ONESCREEN_E2E_DB}`, ONESCREEN_PASSWORD: password },
    stdio: "pipe",
  });
}

export async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(name);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  await expect(page.getByTestId("user-name")).toHaveText(name);
}
