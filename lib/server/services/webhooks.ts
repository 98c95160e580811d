import "server-only";
import type {
  WebhookCreated, WebhookDeliveryView, WebhookRuleOption, WebhookSettings, WebhookView,
} from "@/lib/contracts/webhooks";
import type { UserPrincipal } from "../auth/policy";
import type { WebhookAdmin } from "../webhooks/webhook-admin";

/** Alert webhooks (docs/WEBHOOKS.md): the desk's list and editing, tests and delivery logs (lib/server/webhooks/). */
export class WebhooksService {
  constructor(private readonly admin: WebhookAdmin, private readonly dispatcherSettings: () => WebhookSettings) {}

  list(): Promise<WebhookView[]> {
    return this.admin.list();
  }

  get(id: string): Promise<WebhookView> {
    return this.admin.get(id);
  }

  /** The alert rules a webhook may filter on. */
  rules(): Promise<WebhookRuleOption[]> {
    return this.admin.rules();
  }

  /** Retries, timeout and the failure limit the dispatcher runs with. */
  settings(): WebhookSettings {
    return this.dispatcherSettings();
  }

  create(user: UserPrincipal, body: unknown): Promise<WebhookCreated> {
    return this.admin.create(user, body);
  }

  update(user: UserPrincipal, id: string, body: unknown): Promise<WebhookView> {
    return this.admin.update(user, id, body);
  }

  remove(user: UserPrincipal, id: string): Promise<void> {
    return this.admin.remove(user, id);
  }

  test(user: UserPrincipal, id: string): Promise<WebhookDeliveryView> {
    return this.admin.test(user, id);
  }

  deliveries(id: string, query: Record<string, string | string[] | undefined>): Promise<WebhookDeliveryView[]> {
    return this.admin.deliveries(id, query);
  }
}
