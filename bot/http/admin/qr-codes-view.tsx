import type { QrSourceList } from '../../../core/registration/qr-source-list.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import type { EntryLink } from '../../channels/channel-module.ts';
import type { SafeHtml } from '../html.ts';
import { EmptyState } from './ui/empty-state.tsx';
import type { Flash } from './ui/flash.ts';
import type { FieldErrors, TypedValues } from './ui/form-schema.ts';
import { Form, SelectField, TextField } from './ui/form.tsx';
import { Layout } from './ui/layout.tsx';
import { Table, type Column } from './ui/table.tsx';
import { TrustedHtml } from './ui/trusted-html.tsx';

/**
 * One entry link of a source, made ready to show: the link (null when the channel cannot make one yet) and its QR
 * code.
 */
export interface SourceLink {
  entry: EntryLink;
  link: string | null;
  /** The QR code drawn here (SVG); null for a platform's own code image (WeCom), shown from its URL. */
  svg: SafeHtml | null;
}

type Source = QrSourceList['sources'][number];
const ADD_LABELS = { label: '名称', code: '编码', consultantId: '顾问' };

function LinkCell({ code, link }: { code: string; link: SourceLink }) {
  const { entry } = link;
  if (link.link === null) return <small>{entry.unavailableHint ?? `${entry.label} 的二维码还不能生成。`}</small>;
  // The platform's own code (WeCom): a QR of the image's URL would open the picture, not add the consultant.
  if (link.svg === null) {
    return (
      <>
        <img class="qr small" src={link.link} alt={`${entry.label} 二维码`} width={160} height={160} />
        <br />
        <a href={link.link} download>
          下载二维码图片
        </a>
      </>
    );
  }
  const file = `/admin/qr-codes/${code}/${entry.name}`;
  return (
    <>
      <TrustedHtml markup={link.svg} />
      <a href={link.link}>{link.link}</a>
      <br />
      <a href={`${file}.png`} download>
        下载 PNG
      </a>{' '}
      ·{' '}
      <a href={`${file}.svg`} download>
        下载 SVG
      </a>
    </>
  );
}

interface QrCodesPageProps {
  staff: StaffPrincipal;
  list: QrSourceList;
  /** The running channels' entry links (the columns), and per source code its links. */
  entries: EntryLink[];
  links: Map<string, SourceLink[]>;
  /** How to switch on each channel that offers entry links but is off. */
  off: { label: string; setupHint: SafeHtml }[];
  mayAdd: boolean;
  flash: Flash | null;
  refusal: { typed: TypedValues; errors: FieldErrors } | null;
}

/**
 * `/admin/qr-codes`: every QR source with each running channel's link and QR code; the form to add one (admins and
 * managers).
 */
export function QrCodesPage(props: QrCodesPageProps) {
  const { list, refusal } = props;
  const columns: Column<Source>[] = [
    {
      label: '二维码来源',
      cell: (s) => (
        <>
          {s.label}
          <br />
          <small>
            {s.code}
            {s.active ? '' : '（已停用）'}
          </small>
          <br />
          <a href={`/?source=${s.code}`}>海报</a>
        </>
      ),
    },
    { label: '活动', cell: (s) => s.campaign?.name ?? '—' },
    { label: '顾问', cell: (s) => s.consultant?.name ?? '轮流分配' },
    ...props.entries.map(
      (entry, i): Column<Source> => ({
        label: `${entry.label}链接`,
        cell: (s) => {
          const link = props.links.get(s.code)?.[i];
          return link ? <LinkCell code={s.code} link={link} /> : null;
        },
      }),
    ),
  ];
  return (
    <Layout title="二维码" staff={props.staff} flash={props.flash} current="/admin/qr-codes">
      {props.off.map((m) => (
        <div class="flash err">
          {m.label} 尚未连接。
          <TrustedHtml markup={m.setupHint} />
        </div>
      ))}
      {props.mayAdd ? (
        <details class="section add-qr-source" open={refusal !== null}>
          <summary>添加二维码来源</summary>
          <Form
            action="/admin/qr-codes"
            class="columns"
            labels={ADD_LABELS}
            errors={refusal?.errors}
            submit="添加二维码来源"
          >
            <TextField
              name="label"
              label="名称"
              placeholder="如 张伟的名片"
              value={refusal?.typed.label}
              maxLength={60}
              errors={refusal?.errors}
              required
            />
            <TextField
              name="code"
              label="编码"
              placeholder="如 zhang-wei"
              value={refusal?.typed.code}
              maxLength={64}
              errors={refusal?.errors}
              required
            />
            <SelectField
              name="consultantId"
              label="顾问"
              value={refusal?.typed.consultantId ?? ''}
              errors={refusal?.errors}
              options={[
                { value: '', label: '轮流分配' },
                ...list.consultants.map((c) => ({ value: c.id, label: c.name })),
              ]}
            />
          </Form>
        </details>
      ) : null}
      {list.sources.length === 0 ? (
        <EmptyState text="还没有二维码来源。" />
      ) : (
        <Table
          class="qr-sources"
          columns={columns}
          rows={list.sources}
          rowAttributes={(s) => ({ 'data-code': s.code })}
        />
      )}
    </Layout>
  );
}
