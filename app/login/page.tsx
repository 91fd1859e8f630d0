import type { Metadata } from "next";
import Link from "next/link";
import { parseLang } from "@/lib/i18n";
import { localPath } from "@/lib/auth/local-path";
import { webEnv } from "@/lib/db/web";
import { currentUser } from "@/lib/web-auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "登录 · OneScreen" };

const TEXT = {
  title: { zh: "值班员登录", en: "Operator sign-in" },
  hint: { zh: "查看大屏无需登录；确认、解除告警需要值班员账号。", en: "The wall needs no sign-in; acknowledging and resolving alerts need an operator account." },
  hintPrivate: { zh: "本中心查看大屏与告警也需登录；大屏终端使用管理员签发的设备凭证。", en: "Here even reading needs a sign-in; wall screens use a device credential an admin issues." },
  device: { zh: "设备凭证无效或已使用、已吊销，请向管理员重新申请", en: "The device credential is unknown, used already or revoked: ask an admin for a new one" },
  name: { zh: "用户名", en: "User name" },
  password: { zh: "密码", en: "Password" },
  submit: { zh: "登录", en: "Sign in" },
  invalid: { zh: "用户名或密码错误", en: "Wrong user name or password" },
  // Around the seconds to wait: "尝试次数过多，请 8 秒后再试".
  throttledBefore: { zh: "尝试次数过多，请 ", en: "Too many sign-in attempts: try again in " },
  busyBefore: { zh: "登录繁忙，请 ", en: "Sign-in is busy: try again in " },
  waitAfter: { zh: " 秒后再试", en: " s" },
  signedIn: { zh: "已登录：", en: "Signed in as " },
  toAlerts: { zh: "前往告警列表 ›", en: "To the alerts ›" },
  wall: { zh: "‹ 返回大屏", en: "‹ Back to the wall" },
} as const;

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const lang = parseLang(query.lang);
  const say = (key: keyof typeof TEXT) => TEXT[key][lang];
  const next = localPath(query.next, lang === "en" ? "/alerts?lang=en" : "/alerts");
  const user = await currentUser();
  return (
    <main lang={lang === "en" ? "en" : "zh-CN"} className="mx-auto flex min-h-screen max-w-[28rem] flex-col justify-center gap-[1rem] p-[2rem] text-ink">
      <h1 className="text-[1.6rem] font-bold">{say("title")}</h1>
      <p className="text-ink-dim">{say(webEnv().PUBLIC_READ ? "hint" : "hintPrivate")}</p>
      {user && (
        <p data-testid="signed-in">
          {say("signedIn")}
          <b>{user.name}</b> ({user.role}) · <Link className="text-accent underline" href={next}>{say("toAlerts")}</Link>
        </p>
      )}
      {query.error === "invalid" && (
        <p role="alert" className="font-bold text-crit">
          ✕ {say("invalid")}
        </p>
      )}
      {query.error === "device" && (
        <p role="alert" className="font-bold text-crit">
          ✕ {say("device")}
        </p>
      )}
      {(query.error === "throttled" || query.error === "busy") && (
        <p role="alert" className="font-bold text-crit">
          ✕ {say(query.error === "busy" ? "busyBefore" : "throttledBefore")}
          {Math.max(1, Math.min(3_600, Math.ceil(Number(query.wait)) || 1))}
          {say("waitAfter")}
        </p>
      )}
      <form method="post" action="/api/auth/login" className="flex flex-col gap-[0.8rem] rounded border border-panel-edge bg-panel p-[1.2rem]">
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="lang" value={lang} />
        <label className="flex flex-col gap-[0.3rem]">
          {say("name")}
          <input name="name" autoComplete="username" required maxLength={32} className="rounded border border-panel-edge bg-wall-bg px-[0.6rem] py-[0.4rem] text-ink" />
        </label>
        <label className="flex flex-col gap-[0.3rem]">
          {say("password")}
          <input name="password" type="password" autoComplete="current-password" required maxLength={256} className="rounded border border-panel-edge bg-wall-bg px-[0.6rem] py-[0.4rem] text-ink" />
        </label>
        <button type="submit" className="rounded bg-accent px-[1rem] py-[0.5rem] font-bold text-wall-bg">
          {say("submit")}
        </button>
      </form>
      <Link className="text-accent underline" href={lang === "en" ? "/?lang=en" : "/"}>
        {say("wall")}
      </Link>
    </main>
  );
}
