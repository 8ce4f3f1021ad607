import { PageHeader } from '../../components/page-header.tsx';

export function TrafficPage() {
  return <PageHeader title="Traffic" />;
}
