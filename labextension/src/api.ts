/**
 * A typed client over the jupyter-actions REST API, served by the jupyter_server extension
 * under `{baseUrl}jupyter-actions/api/v2/` (docs/serving.md). Requests go through
 * `ServerConnection.makeRequest`, which sends Jupyter's token and XSRF header.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

const ROOT = 'jupyter-actions/api/v2';
/** Auth0's largest page. */
const PER_PAGE = 100;

export interface ITriggerRef {
  id: string;
  version?: string;
}

export interface ISecretInfo {
  name: string;
  updated_at: string;
  is_set: boolean;
}

export interface IActionVersion {
  id: string;
  number: number;
  status: string;
  created_at: string;
}

export interface IAction {
  id: string;
  name: string;
  supported_triggers: ITriggerRef[];
  all_changes_deployed: boolean;
  status: string;
  errors: { id: string; msg: string }[];
  secrets: ISecretInfo[];
  deployed_version: IActionVersion | null;
  created_at: string;
  updated_at: string;
}

export interface ITrigger {
  id: string;
  version: string;
  status: string;
}

export interface ITemplate {
  id: string;
  title: string;
  description: string;
  trigger: string;
  secrets: string[];
  dependencies: string[];
  code: string;
  /** The Actions Modules the template's action imports; making it deploys them. */
  modules?: ITemplateModule[];
}

export interface ITemplateModule {
  name: string;
  secrets: string[];
  dependencies: string[];
}

/** `{module: {secret: value}}`: values for the secrets of a template's modules. */
export type ModuleSecrets = Record<string, Record<string, string>>;

export interface INewAction {
  name: string;
  supported_triggers: ITriggerRef[];
}

/** Auth0's error body, which every refusal of the API carries. */
interface IErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  errorCode?: string;
}

/** A refusal of the API (or an unreachable server) as one line a panel can show. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly errorCode: string | null
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The one line to show for anything a call threw. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) {
    return error.message.split('\n')[0];
  }
  return String(error).split('\n')[0];
}

export class ActionsApi {
  constructor(readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  /** Every action: the first page says how many there are, the other pages come at once. */
  async listActions(): Promise<IAction[]> {
    const first = await this.actionsPage(0);
    const pages = Math.ceil(first.total / PER_PAGE);
    const rest = await Promise.all(Array.from({ length: Math.max(pages - 1, 0) }, (_, i) => this.actionsPage(i + 1)));
    return [first, ...rest].flatMap(page => page.actions);
  }

  private actionsPage(page: number): Promise<{ actions: IAction[]; total: number }> {
    return this.request(`actions/actions?page=${page}&per_page=${PER_PAGE}`);
  }

  async listTriggers(): Promise<ITrigger[]> {
    return (await this.request<{ triggers: ITrigger[] }>('actions/triggers')).triggers;
  }

  async listTemplates(): Promise<ITemplate[]> {
    const answer = await this.request<{ templates: ITemplate[] }>(
      `jupyter-actions/templates?per_page=${PER_PAGE}`
    );
    return answer.templates;
  }

  /** A new action from a template: its code, secret names, packages and test cases, as the
   * server's `Tenant.create_from_template` makes it. */
  async createFromTemplate(templateId: string, name: string, moduleSecrets: ModuleSecrets = {}): Promise<IAction> {
    const body = { ...(name ? { name } : {}), ...(Object.keys(moduleSecrets).length ? { module_secrets: moduleSecrets } : {}) };
    return this.request<IAction>(`jupyter-actions/templates/${encodeURIComponent(templateId)}/actions`, {
      method: 'POST',
      body: JSON.stringify(body)
    });
  }

  async createAction(action: INewAction): Promise<IAction> {
    return this.request<IAction>('actions/actions', {
      method: 'POST',
      body: JSON.stringify(action)
    });
  }

  /** `path` is relative to the API root; the answer is the parsed JSON body. */
  async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const url = URLExt.join(this.settings.baseUrl, ROOT, path);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, init, this.settings);
    } catch (error) {
      throw new ApiError(`The Jupyter server is unreachable: ${errorLine(error)}`, null, null);
    }
    const text = await response.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ApiError(
          `The server answered ${response.status} with a body that is not JSON`,
          response.status,
          null
        );
      }
    }
    if (!response.ok) {
      const error = (body ?? {}) as IErrorBody;
      const message = error.message || error.error || response.statusText || 'request refused';
      throw new ApiError(errorLine(message), response.status, error.errorCode ?? null);
    }
    return body as T;
  }
}
